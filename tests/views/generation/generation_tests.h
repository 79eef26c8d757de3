#pragma once
// One executable, several Qt Test classes: each file runs its own and main() adds up the failures.

#include <QList>
#include <QPoint>

namespace cllm::views {
class GenerationView;
class TokenOutputView;
}  // namespace cllm::views

int runGenerationHelpersTests(int argc, char** argv);
int runGenerationViewTests(int argc, char** argv);
int runGenerationOutputTests(int argc, char** argv);

namespace generation_test {

// A point in the viewport over the middle of the first character of token `index`.
QPoint pointOverToken(const cllm::views::TokenOutputView& view, int index);

}  // namespace generation_test
