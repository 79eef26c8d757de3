#pragma once
// What a chart actually drew as text (axis labels, legend entries), read from its graphics scene: Qt
// Charts keeps its label strings private, and the scene is what users see.

#include <QList>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QGraphicsItem;
class QGraphicsScene;
class QGraphicsTextItem;
QT_END_NAMESPACE

namespace cllm::views::tests {

// Visible text items below root (root included), in scene order.
QList<QGraphicsTextItem*> visibleTextItems(QGraphicsItem* root);
// Plain text of every visible text item of the scene.
QStringList visibleTexts(QGraphicsScene* scene);

}  // namespace cllm::views::tests
