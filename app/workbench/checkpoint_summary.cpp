#include "checkpoint_summary.h"

#include <QLocale>
#include <QObject>
#include <QStringList>
#include <cmath>

#include "io/checkpoint.h"

namespace cllm::app {

QString checkpointSummary(const Checkpoint& c) {
  const QLocale locale;
  QStringList lines;
  lines << QObject::tr("Model: %1 layers, %2 heads, width %3, context %4, %5 positions")
               .arg(c.model_config.n_layer)
               .arg(c.model_config.n_head)
               .arg(c.model_config.n_embd)
               .arg(c.model_config.block_size)
               .arg(QString::fromStdString(c.model_config.positional));
  lines << QObject::tr("Parameters: %1").arg(locale.toString(qlonglong(c.model_config.parameter_count())));
  lines << QObject::tr("Tokenizer: %1, vocabulary %2")
               .arg(QString::fromStdString(c.tokenizer->kind()))
               .arg(c.tokenizer->vocab_size());
  if (c.training) {
    lines << QObject::tr("Step %1 of %2").arg(c.training->steps_done).arg(c.training->config.steps);
    if (!std::isnan(c.training->best_validation_loss))
      lines << QObject::tr("Best validation loss: %1")
                   .arg(locale.toString(c.training->best_validation_loss, 'f', 4));
    lines << QObject::tr("Corpus: %1").arg(QString::fromStdString(c.training->corpus.name));
  }
  lines << QObject::tr("Written by %1 at %2")
               .arg(QString::fromStdString(c.created_by), QString::fromStdString(c.created_at));
  if (!c.unverified.empty())
    lines << QObject::tr("Not verified: %1").arg(QString::fromStdString(c.unverified));
  return lines.join('\n');
}

}  // namespace cllm::app
