#pragma once
// The 3-D view's side panel: what the selected token is (text, id, prime, clock class, coordinates in the
// shown scene, frequency, validation loss) and its nearest neighbours in the model's own space, with
// the distance and how many to list. Clicking a neighbour asks for it to be selected.

#include <QWidget>
#include <cstdint>
#include <vector>

#include "inspect/nearest_neighbours.h"
#include "inspect/token_table.h"

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTreeWidget;

namespace cllm::views {

class TokenDetailsPanel : public QWidget {
  Q_OBJECT

 public:
  explicit TokenDetailsPanel(QWidget* parent = nullptr);

  // `token` null: nothing selected. `loss` NaN: unknown.
  void showToken(const TokenInfo* token, const float* xyz, double loss,
                 const std::vector<std::pair<Neighbour, QString>>& neighbours);
  int neighbourCount() const;
  void setNeighbourCount(int count);
  Distance distance() const;
  void setDistance(Distance distance);
  // Neighbours exist only for the learned embeddings; lattice scenes place tokens by their prime.
  void setNeighboursAvailable(bool available);
  QTreeWidget* neighbourList() const { return neighbours_; }

 signals:
  void tokenActivated(int32_t id);
  void neighbourSettingsChanged();
  void isolateRequested();
  void clearRequested();

 private:
  QLabel *title_, *facts_;
  QComboBox* distance_;
  QSpinBox* count_;
  QTreeWidget* neighbours_;
  QPushButton *isolate_, *clear_;
};

}  // namespace cllm::views
