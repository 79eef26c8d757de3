#include <QApplication>
#include <QLocale>

#include "generation_tests.h"
#include "views/generation/token_output_view.h"

namespace generation_test {

QPoint pointOverToken(const cllm::views::TokenOutputView& view, int index) {
  QTextCursor begin(view.document());
  begin.setPosition(view.tokenBegin(index));
  QTextCursor next(view.document());
  next.setPosition(view.tokenBegin(index) + 1);
  const QRect a = view.cursorRect(begin);
  const QRect b = view.cursorRect(next);
  return {(a.x() + b.x()) / 2, a.center().y()};
}

}  // namespace generation_test

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  // Spin boxes read and print numbers in the default locale: "1.5", not "1,5", whatever the host says.
  QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
  int failures = 0;
  failures += runGenerationHelpersTests(argc, argv);
  failures += runGenerationViewTests(argc, argv);
  failures += runGenerationOutputTests(argc, argv);
  return failures == 0 ? 0 : 1;
}
