#include "scene_text.h"

#include <QGraphicsScene>
#include <QGraphicsTextItem>

namespace cllm::views::tests {

QList<QGraphicsTextItem*> visibleTextItems(QGraphicsItem* root) {
  QList<QGraphicsTextItem*> out;
  if (!root->isVisible()) return out;
  if (auto* text = qgraphicsitem_cast<QGraphicsTextItem*>(root)) out << text;
  for (QGraphicsItem* child : root->childItems()) out << visibleTextItems(child);
  return out;
}

QStringList visibleTexts(QGraphicsScene* scene) {
  QStringList out;
  for (QGraphicsItem* item : scene->items(Qt::AscendingOrder)) {
    auto* text = qgraphicsitem_cast<QGraphicsTextItem*>(item);
    if (text && text->isVisible()) out << text->toPlainText();
  }
  return out;
}

}  // namespace cllm::views::tests
