#include "data/builtin_corpus.h"

#include <string_view>
#include <utility>
#include <vector>

#include "util/rng.h"

namespace cllm {
namespace {

using List = std::vector<const char*>;

// Changing the seed, a table or the order of draws changes every byte of the corpus (and so every
// experiment's numbers); do it deliberately.
constexpr uint64_t kSeed = 0x434C4C4D;  // "CLLM"
constexpr size_t kTargetBytes = 740'000;

// ---------------------------------------------------------------------------------------------------
// Word tables.

const List kAnimals = {"fox",  "crow", "owl",   "rabbit", "bear",     "wolf",   "mouse",   "cat",
                       "dog",  "goat", "hen",   "frog",   "deer",     "horse",  "lion",    "tortoise",
                       "hare", "pig",  "sheep", "goose",  "squirrel", "beaver", "hedgehog"};
const List kPeople = {"farmer", "king", "queen", "old woman", "shepherd", "little girl", "young boy"};
// Nouns whose pronoun is fixed; every other character's is drawn per story.
const std::vector<std::pair<std::string_view, bool>> kFixedGender = {
    {"king", true},         {"queen", false},    {"old woman", false},
    {"little girl", false}, {"young boy", true}, {"shepherd boy", true}};

const List kPlaces = {"river",  "forest", "village", "hill",     "meadow", "farm",
                      "garden", "lake",   "castle",  "old mill", "pond",   "field"};
const List kObjects = {"golden key", "red ball", "silver ring", "old lantern", "little bell", "shiny coin"};
const List kFoods = {"nuts", "berries", "apples", "seeds"};  // plural: patterns say "them"
const List kPrizes = {"piece of cheese", "piece of bread", "sweet cake"};
const List kHidingPlaces = {"a pile of leaves", "a big flat stone", "a heap of straw"};
const List kHobbies = {"sing in the morning", "watch the clouds", "walk by the water",
                       "tell long stories",   "count the stars",  "sleep in the sun"};
const List kFlocks = {"sheep", "goats", "geese"};

struct Season {
  List when, weather;
};
const std::vector<Season> kSeasons = {
    {{"One morning in spring", "Early one spring day"},
     {"the sun was warm and the flowers were open", "a light rain fell on the {place}",
      "the birds were singing in every tree"}},
    {{"One summer day", "One long summer evening"},
     {"the sun was hot and the sky was clear", "the fields were full of flowers",
      "a warm wind blew across the {place}"}},
    {{"One autumn morning", "Late one autumn afternoon"},
     {"the leaves were turning red and gold", "a cold wind blew from the north",
      "the rain fell all day long"}},
    {{"One winter morning", "On a cold winter night"},
     {"snow covered the ground", "the river was frozen", "the air was cold and still"}},
};

// ---------------------------------------------------------------------------------------------------
// Fables. Patterns use {name} slots filled from the story's cast (see Generator::story). A beat is one
// sentence or a few; one alternative is chosen per beat. A beat that opens or ends with a quote holds
// dialogue and gets a line of its own.

const List kSettings = {"Once upon a time, {an_a} lived near the {place}.",
                        "Long ago, there lived {an_a} at the edge of the {place}.",
                        "There was once {an_a} who lived by the {place}.",
                        "In a small house near the {place}, there lived {an_a}.",
                        "Not far from the {place}, there lived {an_a}."};
const List kCharacters = {"{he} liked to {hobby}.", "every day, {he} would {hobby}.",
                          "everyone knew that the {a} was {trait_a}.",
                          "{he} was {trait_a}, and {he} liked to {hobby}."};

struct Plot {
  List heroes, others;  // who can play the {a} and the {b}
  List hero_traits, other_traits;
  List titles;
  std::vector<List> beats;
  List morals;
  List objects = kObjects;  // what the {obj} can be
};

List concat(List a, const List& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const std::vector<Plot> kPlots = {
    // Someone loses something and a friend helps to find it.
    {concat(kAnimals, kPeople),
     concat(kAnimals, kPeople),
     {"curious", "careless", "busy"},
     {"kind", "wise", "gentle"},
     {"the {a} and the {b}", "the {obj}", "the {a} who lost {his} {obj}", "the lost {obj}"},
     {{"one day, the {a} lost {his} {obj} near the {place2}.", "when the {a} woke up, {his} {obj} was gone."},
      {"{he} looked under every stone and behind every tree, but {he} could not find it.",
       "{he} looked high and low, and then {he} began to cry."},
      {"then {he} met {an_b}.", "just then, {an_b} came walking by."},
      {"\"have you seen my {obj}?\" asked the {a}.",
       "\"please help me,\" said the {a}. \"my {obj} is lost.\""},
      {"\"I have not seen it,\" said the {b}, \"but I will help you look.\"",
       "\"do not cry, I will help you,\" said the {b}."},
      {"they looked together until the sun went down, and at last they found the {obj} under {hiding}.",
       "together they walked back to the {place2}, and there was the {obj}, under {hiding}."},
      {"\"thank you, my friend,\" said the {a}.",
       "from that day on, the {a} and the {b} were the best of friends."}},
     {"A friend in need is a friend indeed.", "Two heads are better than one.",
      "A kind friend is better than gold."}},

    // The proud fast one loses a race to the slow steady one.
    {{"hare", "horse", "deer", "rabbit", "dog", "goat"},
     {"tortoise", "snail", "hedgehog"},
     {"proud", "vain", "fast"},
     {"patient", "steady", "quiet"},
     {"the {a} and the {b}", "the race to the {place2}", "the {trait_a} {a}", "slow and steady"},
     {{"the {a} liked to tell everyone how fast {he} was.",
       "every day, the {a} laughed at the animals who were slower than {him}."},
      {"\"I am the fastest animal in the {place}!\" said the {a}. \"no one can beat me.\"",
       "\"nobody is as fast as I am,\" said the {a} to all the animals."},
      {"one day, {an_b} heard {him}.", "{an_b} heard every word."},
      {"\"let us have a race to the {place2},\" said the {b}.",
       "\"I will race you to the {place2},\" said the {b} quietly."},
      {"the {a} laughed so hard that {he} almost fell over. \"you? very well, let us race.\"",
       "\"you?\" said the {a}, laughing. \"very well.\""},
      {"the race began, and the {a} was soon far ahead.",
       "at the start, the {a} ran like the wind and left the {b} far behind."},
      {"on the way to the {place2}, {he} stopped to rest under a tree and fell asleep.",
       "{he} was so sure of winning that {he} lay down in the grass to sleep."},
      {"the {b} kept going, step by step, and never stopped.",
       "the {b} was slow, but {b_he} did not stop once."},
      {"when the {a} woke up, the {b} had reached the {place2}.",
       "by the time the {a} woke up, the {b} was at the {place2}."},
      {"\"how did you do that?\" asked the {a}.\n\"I never stopped,\" said the {b}.",
       "\"you were faster,\" said the {b}, \"but I did not stop.\""}},
     {"Slow and steady wins the race.", "Pride comes before a fall.",
      "Do not laugh at those who are slower than you."}},

    // The greedy one will not share, falls on hard times and is helped anyway.
    {{"squirrel", "bear", "pig", "goat", "crow", "mouse", "fox"},
     kAnimals,
     {"greedy", "selfish", "rich"},
     {"hungry", "poor", "tired", "kind"},
     {"the {trait_a} {a}", "the {a} and the {food}", "the {a} who would not share"},
     {{"one day, the {a} found a big pile of {food} near the {place2}.",
       "the {a} had more {food} than {he} could ever eat."},
      {"{he} carried them all home and hid them in {his} house.",
       "{he} looked at the {food} every morning and every evening."},
      {"soon {an_b} came to {his} door.", "then {an_b} came to the door."},
      {"\"I have not eaten for three days,\" said the {b}. \"will you share your {food} with me?\"",
       "\"please, may I have some of your {food}?\" asked the {b}."},
      {"\"no,\" said the {a}. \"they are all mine.\"",
       "\"go away,\" said the {a}. \"I found them, so I will keep them.\""},
      {"so the {b} went away, sad and hungry.", "the {b} said nothing and walked away slowly."},
      {"but a storm came in the night, and the water ran into the house and took all the {food}.",
       "but the {a} ate so much that {he} was sick and could not get out of bed."},
      {"the {b} heard about it and came back with a little food of {b_his} own.",
       "it was the {b} who came to help, after all that had happened."},
      {"\"I am sorry,\" said the {a}. \"I should have shared with you.\"",
       "the {a} felt very sorry. \"thank you,\" {he} said. \"next time, I will share.\""}},
     {"Those who share will never be alone.", "A greedy heart is never full."}},

    // The flatterer tricks the vain bird out of its food.
    {{"fox", "cat", "wolf"},
     {"crow", "goose", "hen", "parrot"},
     {"clever", "sly", "hungry"},
     {"vain", "proud", "foolish"},
     {"the {a} and the {b}", "the {trait_b} {b}", "the {b} and the {obj}"},
     {{"one day, the {b} found {an_obj} and flew up into a tall tree to eat it.",
       "the {b} sat on a high branch with {an_obj} in {b_his} beak."},
      {"the {a} saw the {obj} and wanted it for {himself}.",
       "the {a} was very hungry, and the {obj} looked so good."},
      {"\"good morning, beautiful {b},\" said the {a}. \"what fine feathers you have!\"",
       "\"what a beautiful bird you are,\" said the {a}. \"your feathers shine like gold.\""},
      {"\"I am sure your voice is even more beautiful than your feathers. will you sing for me?\"",
       "\"if only I could hear you sing, then you would be the queen of all birds.\""},
      {"the {b} was very happy. {b_he} opened {b_his} beak to sing, and the {obj} fell to the ground.",
       "the {b} sat up tall and began to sing, and down fell the {obj}."},
      {"the {a} caught it at once and ran away into the {place}.", "the {a} took it and ran away, laughing."},
      {"\"next time,\" said the {a}, \"do not trust everyone who is kind to you.\"",
       "\"your voice is fine,\" said the {a}, \"but you are not very wise.\""}},
     {"Do not trust those who flatter you.", "Sweet words can hide a hungry heart."},
     kPrizes},

    // The small one is spared by the big one and later saves it.
    {{"mouse", "rabbit", "squirrel", "beaver"},
     {"lion", "bear", "elephant", "wolf", "horse"},
     {"little", "tiny", "small"},
     {"mighty", "great", "strong"},
     {"the {b} and the {a}", "the {trait_a} {a}", "a small friend"},
     {{"one day, the {a} woke {an_b} from {b_his} sleep.",
       "one day, the {a} ran over {an_b} who was sleeping in the sun."},
      {"the {b} was angry and caught the {a} at once.", "the {b} opened one eye and held the {a} fast."},
      {"\"please let me go,\" said the {a}. \"one day I will help you.\"",
       "\"do not hurt me,\" cried the {a}. \"let me go, and I will help you one day.\""},
      {"the {b} laughed. \"how could a little {a} ever help me?\" but {b_he} let {him} go.",
       "the {b} smiled, but {b_he} let the {a} go free."},
      {"some days later, the {b} was caught in a net near the {place2}.",
       "not long after, the {b} stepped into a trap of strong ropes by the {place2}."},
      {"{b_he} pulled and pulled, but the ropes held fast.",
       "{b_he} tried and tried, but {b_he} could not get free."},
      {"the {a} heard {b_him} cry and came running.", "the {a} heard {b_him} and ran to the {place2}."},
      {"{he} bit through the ropes one by one until the {b} was free.",
       "{he} bit and pulled at the ropes until they broke, and the {b} stepped out."},
      {"\"you laughed at me,\" said the {a}, \"but now you see that even a little friend can help.\"",
       "\"thank you,\" said the {b}. \"I will never laugh at a small friend again.\""}},
     {"Little friends may prove great friends.", "No act of kindness is ever wasted."}},

    // The busy one prepares for winter; the idle one does not.
    {{"ant", "bee", "beaver", "squirrel", "mouse"},
     {"grasshopper", "frog", "cat", "pig"},
     {"busy", "careful", "wise"},
     {"lazy", "idle", "merry"},
     {"the {a} and the {b}", "the {trait_b} {b}", "ready for winter"},
     {{"all summer long, the {a} worked hard, carrying {food} to {his} home near the {place2}.",
       "every day of the summer, the {a} found {food} and carried them home."},
      {"the {b} sang and danced in the sun all day.", "the {b} lay in the warm grass and played all day."},
      {"\"why do you work so hard?\" asked the {b}. \"come and play with me!\"",
       "\"it is too hot to work,\" laughed the {b}. \"come and sing with me.\""},
      {"\"I am getting ready for winter,\" said the {a}. \"you should do the same.\"",
       "\"winter is coming,\" said the {a}, \"and there will be no food then.\""},
      {"but the {b} only laughed and went on playing.", "the {b} did not listen."},
      {"then winter came. snow covered the {place}, and there was no food to be found.",
       "soon the cold days came, and the fields were white with snow."},
      {"the {b}, cold and hungry, came to the door of the {a}.",
       "the {b} had nothing to eat, and {b_he} went to the {a} to ask for help."},
      {"the {a} shared {his} {food}, and the {b} said that {b_he} would work next summer.",
       "\"come in,\" said the {a}. \"there is food for two, but next summer you must work too.\""}},
     {"Work today, and you will eat tomorrow.", "Play after work, not before it."}},

    // The one who raises false alarms is not believed when the danger is real.
    {{"shepherd boy", "young boy", "little girl", "young shepherd"},
     {"wolf", "bear", "fox"},
     {"bored", "restless", "naughty"},
     {"hungry", "grey", "big"},
     {"the {a} who cried {b}", "the {a} and the {b}", "the {trait_a} {a}"},
     {{"every day, the {a} watched the {flock} on the side of the {place}.",
       "the {a} had to look after the {flock} near the {place}."},
      {"{he} was bored, and {he} wanted some fun.", "the days were long, and nothing ever happened."},
      {"\"{b}! {b}!\" shouted the {a}. \"a {b} is after the {flock}!\""},
      {"the people of the village ran up the hill to help, but there was no {b}.",
       "everyone came running, but there was no {b} at all."},
      {"the {a} laughed and laughed.", "\"I was only playing,\" said the {a}, laughing."},
      {"{he} played the same trick again the next day, and the people came running again.",
       "a few days later, {he} did it again, and again the people came for nothing."},
      {"then one evening, a real {b} came out of the {place2}.", "but one day, {an_b} really did come."},
      {"\"{b}! {b}! please help!\" cried the {a}, but this time nobody came.",
       "the {a} shouted and shouted, but the people thought it was a trick."},
      {"the {b} chased the {flock} away, and the {a} went home alone.",
       "by the time the sun went down, half of the {flock} were gone."}},
     {"Nobody believes a liar, even when the liar tells the truth.",
      "Tell the truth, and people will trust you."}},
};

// ---------------------------------------------------------------------------------------------------
// Verses: each line is an opening plus an ending; a stanza rhymes AABB using two rhyme groups.

const List kVerseTitles = {"the song of the {place}", "a song for the {animal}", "evening song",
                           "morning song", "the {adjective} {animal}"};
const List kVerseAdjectives = {"little", "old", "brown", "grey", "happy", "sleepy", "gentle", "white"};
const List kOpenings = {"the {adjective} {animal} went walking",
                        "the {adjective} {animal} sang softly",
                        "the {adjective} {animal} sat and dreamed",
                        "the {adjective} {animal} danced and played",
                        "I met {an_animal}",
                        "I saw {an_animal}",
                        "we walked together",
                        "the children laughed and ran",
                        "the birds flew high above",
                        "the wind was soft and low",
                        "the bells began to ring",
                        "the {person} smiled"};
const std::vector<List> kRhymes = {
    {"at the end of the day", "where the children play", "in the field full of hay",
     "by the side of the bay"},
    {"in the middle of the night", "till the morning sky was bright", "when the stars were shining bright"},
    {"by the side of the sea", "in the shade of the tree", "with the buzz of a bee",
     "where the wind blows free"},
    {"in the cold and gentle rain", "and then came home again"},
    {"in the light of the moon", "to a sweet and simple tune", "on a quiet afternoon",
     "and will come back soon"},
    {"on the top of the hill", "by the old water mill", "when the evening was still"},
    {"through the streets of the town", "as the sun went down"},
    {"and sang a happy song", "the whole day long", "where the grass grows long"},
    {"with a soft and gentle sound", "on the cold and frozen ground", "and looked all around"},
    {"when the sky was clear", "when the spring was near", "for the rest of the year"},
};

// ---------------------------------------------------------------------------------------------------
// Numbers.

const List kArithmeticTitles = {"counting", "numbers", "counting with the {animal}"};
const List kPrimeTitles = {"prime numbers", "about primes", "a note on primes", "the primes"};
const List kCountables = {"apples",   "coins", "eggs",    "stones", "bells",
                          "feathers", "nuts",  "berries", "seeds"};
const List kPrimeFacts = {"One is not a prime number.", "Two is the only even prime number.",
                          "A prime number has exactly two divisors: one and itself.",
                          "Every number greater than one is a prime or a product of primes.",
                          "There is no largest prime number; the primes go on forever."};

// English words for 0..100.
std::string number_word(int n) {
  static const List kSmall = {"zero",    "one",     "two",       "three",    "four",
                              "five",    "six",     "seven",     "eight",    "nine",
                              "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                              "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
  static const List kTens = {"",      "",      "twenty",  "thirty", "forty",
                             "fifty", "sixty", "seventy", "eighty", "ninety"};
  if (n < 20) return kSmall[static_cast<size_t>(n)];
  if (n == 100) return "one hundred";
  std::string word = kTens[static_cast<size_t>(n / 10)];
  if (n % 10 != 0) word += std::string("-") + kSmall[static_cast<size_t>(n % 10)];
  return word;
}

bool is_prime(int n) {
  if (n < 2) return false;
  for (int d = 2; d * d <= n; ++d)
    if (n % d == 0) return false;
  return true;
}

int smallest_factor(int n) {
  for (int d = 2; d * d <= n; ++d)
    if (n % d == 0) return d;
  return n;
}

// "a", "a and b", "a, b and c".
std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " and " : ", ";
    out += words[i];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Text helpers.

using Vars = std::vector<std::pair<std::string_view, std::string>>;

// Replaces every {name} in `pattern`. An unknown name is left in place, where the tests catch it.
std::string fill(std::string_view pattern, const Vars& vars) {
  std::string out;
  size_t i = 0;
  while (i < pattern.size()) {
    const size_t open = pattern.find('{', i);
    const size_t close = open == std::string_view::npos ? open : pattern.find('}', open);
    if (close == std::string_view::npos) {
      out.append(pattern.substr(i));
      break;
    }
    out.append(pattern.substr(i, open - i));
    const std::string_view name = pattern.substr(open + 1, close - open - 1);
    const std::string* value = nullptr;
    for (const auto& [key, text] : vars)
      if (key == name) value = &text;
    out.append(value ? std::string_view(*value) : pattern.substr(open, close - open + 1));
    i = close + 1;
  }
  return out;
}

bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
char upper(char c) {
  return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c;
}

// Capitalises the first letter of the text and of every sentence in it (after ". ", "! " or "? ",
// skipping an opening quote), so patterns can be written in lower case.
std::string sentences(std::string text) {
  bool start = true;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (start && c != '"') {
      text[i] = upper(c);
      start = false;
    }
    if ((c == '.' || c == '!' || c == '?') && i + 1 < text.size() && text[i + 1] == ' ') {
      start = true;
      ++i;
    }
  }
  return text;
}

// Capitalises every word except short joining words (unless first).
std::string title_case(std::string text) {
  static const List kMinor = {"a", "an", "the", "and", "of", "to", "in", "on", "by", "for", "with", "who"};
  size_t i = 0;
  while (i < text.size()) {
    size_t end = text.find(' ', i);
    if (end == std::string::npos) end = text.size();
    const std::string_view word(text.data() + i, end - i);
    bool minor = false;
    for (const char* m : kMinor) minor = minor || word == m;
    if (i == 0 || !minor) text[i] = upper(text[i]);
    i = end + 1;
  }
  return text;
}

std::string with_article(const std::string& phrase) {
  const char c = phrase.empty() ? ' ' : phrase[0];
  const bool vowel = c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
  return (vowel ? "an " : "a ") + phrase;
}

// ---------------------------------------------------------------------------------------------------

class Generator {
 public:
  Generator() : rng_(kSeed) {}

  std::string run() {
    while (out_.size() < kTargetBytes) {
      if (!out_.empty()) out_ += '\n';
      const uint64_t kind = rng_.below(20);
      if (kind < 10)
        story();
      else if (kind < 14)
        verse();
      else if (kind < 17)
        arithmetic();
      else
        primes();
    }
    return std::move(out_);
  }

 private:
  const char* pick(const List& list) { return list[rng_.below(list.size())]; }
  int between(int lo, int hi) {
    return lo + static_cast<int>(rng_.below(static_cast<uint64_t>(hi - lo + 1)));
  }

  // `count` different items in a random order (a partial Fisher-Yates shuffle).
  List pick_distinct(List list, size_t count) {
    for (size_t i = 0; i < count; ++i) std::swap(list[i], list[i + rng_.below(list.size() - i)]);
    list.resize(count);
    return list;
  }

  bool is_male(std::string_view noun) {
    for (const auto& [fixed, male] : kFixedGender)
      if (fixed == noun) return male;
    return rng_.below(2) == 0;
  }

  void line(const std::string& text) { out_ += text + '\n'; }

  void story() {
    const Plot& plot = kPlots[rng_.below(kPlots.size())];
    const std::string a = pick(plot.heroes);
    std::string b = pick(plot.others);
    while (b == a) b = pick(plot.others);
    const std::string trait_a = pick(plot.hero_traits), trait_b = pick(plot.other_traits);
    const std::string place = pick(kPlaces);
    std::string place2 = pick(kPlaces);
    while (place2 == place) place2 = pick(kPlaces);
    const bool a_male = is_male(a), b_male = is_male(b);
    const std::string obj = pick(plot.objects);
    const Vars vars = {{"a", a},
                       {"b", b},
                       {"an_a", with_article(trait_a + " " + a)},
                       {"an_b", with_article(trait_b + " " + b)},
                       {"trait_a", trait_a},
                       {"trait_b", trait_b},
                       {"he", a_male ? "he" : "she"},
                       {"his", a_male ? "his" : "her"},
                       {"him", a_male ? "him" : "her"},
                       {"himself", a_male ? "himself" : "herself"},
                       {"b_he", b_male ? "he" : "she"},
                       {"b_his", b_male ? "his" : "her"},
                       {"b_him", b_male ? "him" : "her"},
                       {"place", place},
                       {"place2", place2},
                       {"obj", obj},
                       {"an_obj", with_article(obj)},
                       {"food", pick(kFoods)},
                       {"hiding", pick(kHidingPlaces)},
                       {"hobby", pick(kHobbies)},
                       {"flock", pick(kFlocks)}};

    line(title_case(fill(pick(plot.titles), vars)));
    line("");
    const Season& season = kSeasons[rng_.below(kSeasons.size())];
    // Drawn one by one, in the order GCC happened to evaluate them when the corpus was recorded: the
    // operands of + (and a call's arguments) are evaluated in an unspecified order, and clang's differs.
    const std::string weather = pick(season.weather), when = pick(season.when);
    const std::string character = pick(kCharacters), setting = pick(kSettings);
    line(sentences(fill(setting + " " + character + " " + when + ", " + weather + ".", vars)));
    line("");
    std::string paragraph;
    bool line_done = false;  // the previous beat held dialogue, so the next one starts a new line
    for (const List& beat : plot.beats) {
      const std::string text = sentences(fill(pick(beat), vars));
      const bool dialogue = text.front() == '"' || text.back() == '"';
      if (!paragraph.empty()) paragraph += dialogue || line_done ? '\n' : ' ';
      paragraph += text;
      line_done = dialogue;
    }
    line(paragraph);
    line("");
    line(std::string("Moral: ") + pick(plot.morals));
  }

  void verse() {
    const Vars title_vars = {
        {"place", pick(kPlaces)}, {"animal", pick(kAnimals)}, {"adjective", pick(kVerseAdjectives)}};
    line(title_case(fill(pick(kVerseTitles), title_vars)));
    const int stanzas = between(2, 3);
    for (int s = 0; s < stanzas; ++s) {
      line("");
      std::vector<size_t> groups = {rng_.below(kRhymes.size()), 0};
      do groups[1] = rng_.below(kRhymes.size());
      while (groups[1] == groups[0]);
      const List openings = pick_distinct(kOpenings, 4);
      for (int pair = 0; pair < 2; ++pair) {
        const List endings = pick_distinct(kRhymes[groups[static_cast<size_t>(pair)]], 2);
        for (int k = 0; k < 2; ++k) {
          const std::string animal = pick(kAnimals), adjective = pick(kVerseAdjectives);
          const Vars vars = {{"animal", animal},
                             {"adjective", adjective},
                             {"an_animal", with_article(adjective + " " + animal)},
                             {"person", pick(kPeople)}};
          const bool last_of_pair = k == 1;
          line(sentences(fill(openings[static_cast<size_t>(pair * 2 + k)], vars) + " " +
                         endings[static_cast<size_t>(k)] + (last_of_pair ? "." : ",")));
        }
      }
    }
  }

  void arithmetic() {
    const std::string animal = pick(kAnimals);  // first, as above
    line(title_case(fill(pick(kArithmeticTitles), {{"animal", animal}})));
    line("");
    const int lines = between(4, 7);
    for (int i = 0; i < lines; ++i) line(sentences(arithmetic_line()));
  }

  std::string arithmetic_line() {
    const auto w = number_word;
    switch (rng_.below(10)) {
      case 0: {
        const int x = between(1, 12), y = between(1, 12);
        return w(x) + " and " + w(y) + " make " + w(x + y) + ".";
      }
      case 1: {
        const int x = between(1, 20), y = between(1, 20);
        return w(x) + " plus " + w(y) + " is " + w(x + y) + ".";
      }
      case 2: {
        const int x = between(0, 20), y = between(1, 20);
        return w(x + y) + " minus " + w(y) + " is " + w(x) + ".";
      }
      case 3: {
        const int x = between(2, 10), y = between(2, 10);
        return w(x) + " times " + w(y) + " is " + w(x * y) + ".";
      }
      case 4: {
        const int x = between(2, 10), y = between(2, 10);
        return w(x * y) + " divided by " + w(y) + " is " + w(x) + ".";
      }
      case 5: {
        const int x = between(2, 9), y = between(2, 9);
        const std::string things = pick(kCountables);
        return "if you have " + w(x) + " " + things + " and you find " + w(y) + " more, you have " +
               w(x + y) + " " + things + ".";
      }
      case 6: {
        const int x = between(2, 9), y = between(2, 9);
        const std::string things = pick(kCountables);
        return "if you have " + w(x + y) + " " + things + " and you give " + w(y) + " away, you have " +
               w(x) + " left.";
      }
      case 7: {
        static const std::vector<std::pair<int, const char*>> kSteps = {
            {1, ""}, {2, "twos"}, {5, "fives"}, {10, "tens"}};
        const auto& [step, name] = kSteps[rng_.below(kSteps.size())];
        const int start = step == 1 ? between(1, 10) : step;
        std::vector<std::string> words;
        for (int k = 0; k < 5; ++k) words.push_back(w(start + k * step));
        std::string text = step == 1 ? "count with me: " : std::string("count by ") + name + ": ";
        for (size_t k = 0; k < words.size(); ++k) text += (k ? ", " : "") + words[k];
        return text + ".";
      }
      case 8: {
        const int x = between(1, 50);
        return "double " + w(x) + " is " + w(2 * x) + ", and half of " + w(2 * x) + " is " + w(x) + ".";
      }
      default: {
        const int x = between(1, 99);
        return w(x) + " comes after " + w(x - 1) + " and before " + w(x + 1) + ".";
      }
    }
  }

  void primes() {
    line(title_case(pick(kPrimeTitles)));
    line("");
    const int lines = between(4, 6);
    for (int i = 0; i < lines; ++i) line(sentences(prime_line()));
  }

  int random_prime(int lo, int hi) {
    int p;
    do p = between(lo, hi);
    while (!is_prime(p));
    return p;
  }

  std::string prime_line() {
    const auto w = number_word;
    switch (rng_.below(9)) {
      case 0:
        return w(random_prime(2, 100)) + " is a prime number.";
      case 1: {
        int n;
        do n = between(4, 100);
        while (is_prime(n));
        const int a = smallest_factor(n);
        return w(n) + " is not a prime number, because " + w(n) + " is " + w(a) + " times " + w(n / a) + ".";
      }
      case 2:
        return w(random_prime(2, 100)) +
               " is a prime number, because it can only be divided by one and by itself.";
      case 3: {
        const int p = random_prime(2, 96);
        int q = p + 1;
        while (!is_prime(q)) ++q;
        return "the next prime after " + w(p) + " is " + w(q) + ".";
      }
      case 4: {
        const int x = between(1, 85), y = x + between(5, 15);
        std::vector<std::string> found;
        for (int n = x + 1; n < y; ++n)
          if (is_prime(n)) found.push_back(w(n));
        if (found.empty()) return "there are no primes between " + w(x) + " and " + w(y) + ".";
        if (found.size() == 1)
          return "the only prime between " + w(x) + " and " + w(y) + " is " + found[0] + ".";
        return "the primes between " + w(x) + " and " + w(y) + " are " + join_words(found) + ".";
      }
      case 5: {
        int p;
        do p = random_prime(3, 71);
        while (!is_prime(p + 2));
        return w(p) + " and " + w(p + 2) + " are twin primes, because they are both prime and differ by two.";
      }
      case 6: {
        const int n = 2 * between(3, 50);
        int p;
        do p = random_prime(2, n / 2);
        while (!is_prime(n - p));
        if (p == n - p)
          return w(n) + " is " + w(p) + " plus " + w(p) + ", and " + w(p) + " is a prime number.";
        return w(n) + " is " + w(p) + " plus " + w(n - p) + ", and both " + w(p) + " and " + w(n - p) +
               " are prime numbers.";
      }
      case 7: {
        int n;
        do n = between(4, 100);
        while (is_prime(n));
        std::vector<std::string> factors;
        for (int m = n; m > 1; m /= smallest_factor(m)) factors.push_back(w(smallest_factor(m)));
        return "the prime factors of " + w(n) + " are " + join_words(factors) + ".";
      }
      default:
        return pick(kPrimeFacts);
    }
  }

  Rng rng_;
  std::string out_;
};

}  // namespace

Corpus builtin_corpus() {
  Corpus corpus;
  corpus.name = "built-in";
  corpus.text = Generator().run();
  return corpus;
}

}  // namespace cllm
