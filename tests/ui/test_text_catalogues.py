"""The Korean catalogue matches the English one: same keys in the same order, same placeholders, markdown, code and
numbers, and every value really translated (Hangul wherever the English has words).

Each catalogue is a folder (``ui/text/en/``, ``ui/text/ko/``) with one module per section; both folders hold the
same modules. Only the helpers below know where the catalogues live; the first two return ``{section: {key: text}}``.
"""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

TEXT_FOLDER = Path(__file__).resolve().parents[2] / "ui" / "text"


def english_catalogue() -> dict[str, dict[str, str]]:
    """The English strings, ``{section: {key: text}}`` (page sections: their keys overlap, so they are not merged)."""
    from ui.text.en import EN
    return EN


def korean_catalogue() -> dict[str, dict[str, str]]:
    """The Korean strings, in the same sections as :func:`english_catalogue`."""
    from ui.text.ko import KO
    return KO


def section_modules(lang: str) -> list[str]:
    """The section modules of a language's catalogue folder, by file name."""
    return sorted(path.stem for path in (TEXT_FOLDER / lang).glob("*.py") if path.stem != "__init__")


# Values that may stay as in English: names, and pure formats with nothing to translate.
SAME_IN_BOTH = {("common", "app.title"), ("home", "title"), ("search", "option"), ("lesson_batchnorm", "label"),
                ("lesson_activations", "init.xavier"), ("lesson_activations", "init.he"),  # names of people
                ("common", "jobs.name.config")}  # a config's label alone, which labels.localized_label translates

HANGUL = re.compile(r"[\uac00-\ud7a3]")
CODE = re.compile(r"`[^`]*`")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # identifiers with "_" or digits (n_train, beta1) count as code
# Words that are names, units or code in any language: they do not ask for a translation on their own.
NAMES = {"Overfit", "Lab", "MNIST", "IDX", "CSV", "parquet", "numpy", "URL", "UTC", "ID", "Best", "lr", "std", "idx", "init",
         "dataset", "adam", "rmsprop", "momentum", "nesterov", "rho",
         "successive", "halving",  # the early-stopping algorithm's name, kept beside its Korean description
         "Dask",
         # names in the lessons: algorithms, functions and people, written the same in the Korean edition
         "ReLU", "SGD", "AdaGrad", "Adam", "Momentum", "Xavier", "He", "tanh", "sigmoid", "Bernoulli"}


def entries() -> list[tuple[str, str, str, str]]:
    """(section, key, english, korean) for every English key; a missing Korean value is ``None``."""
    korean = korean_catalogue()
    return [(section, key, en, korean.get(section, {}).get(key))
            for section, table in english_catalogue().items() for key, en in table.items()]


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a format string (a stray brace raises ValueError, failing the test), without the
    plural markup ``{name|one|other}``: Korean has no plural forms, so its text needs none."""
    from ui.text import PLURAL
    return {field for _, field, _, _ in string.Formatter().parse(PLURAL.sub("", text)) if field is not None}


def words(text: str) -> set[str]:
    """The plain Latin words of ``text``, outside placeholders, code spans and identifiers."""
    text = re.sub(r"\{[^{}]*\}", " ", CODE.sub(" ", text))
    return {token for token in TOKEN.findall(text) if token.isalpha() and len(token) > 1}


ENTRIES = entries()
IDS = [f"{section}:{key}" for section, key, _, _ in ENTRIES]


def test_both_catalogues_have_the_same_sections_and_keys_in_the_same_order():
    english, korean = english_catalogue(), korean_catalogue()
    assert list(korean) == list(english)
    for section in english:
        missing = [k for k in english[section] if k not in korean[section]]
        extra = [k for k in korean[section] if k not in english[section]]
        assert not missing and not extra, f"{section}: missing in Korean {missing}, only in Korean {extra}"
        assert list(korean[section]) == list(english[section]), f"{section}: keys in another order"


def test_both_catalogue_folders_have_the_same_module_per_section():
    english, korean = section_modules("en"), section_modules("ko")
    assert english == korean, f"only in en/: {set(english) - set(korean)}, only in ko/: {set(korean) - set(english)}"
    assert english == sorted(english_catalogue()), "each section is one module of the same name"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_each_section_module_is_the_section_of_its_catalogue(lang):
    import importlib
    catalogue = english_catalogue() if lang == "en" else korean_catalogue()
    for name in section_modules(lang):
        assert importlib.import_module(f"ui.text.{lang}.{name}").TEXT is catalogue[name], f"{lang}/{name}.py"


def test_there_are_as_many_korean_strings_as_english_ones():
    english, korean = english_catalogue(), korean_catalogue()
    assert sum(map(len, korean.values())) == sum(map(len, english.values())) > 250


@pytest.mark.parametrize(("section", "key", "en", "ko"), ENTRIES, ids=IDS)
def test_each_korean_value_keeps_the_placeholders_markdown_code_and_numbers(section, key, en, ko):
    assert isinstance(ko, str) and ko.strip(), "empty or missing"
    assert placeholders(ko) == placeholders(en)
    ko.format(**{name: "x" for name in placeholders(en)})  # formats like the English (no stray braces)
    assert CODE.findall(ko) == CODE.findall(en), "code spans changed"
    assert ko.count("**") == en.count("**") and ko.count("*") == en.count("*"), "markdown emphasis changed"
    missing_numbers = set(NUMBER.findall(en)) - set(NUMBER.findall(ko))
    assert not missing_numbers, f"numbers lost: {missing_numbers}"


@pytest.mark.parametrize(("section", "key", "en", "ko"), ENTRIES, ids=IDS)
def test_each_korean_value_is_translated(section, key, en, ko):
    if (section, key) in SAME_IN_BOTH:
        return
    assert ko != en, "identical to the English"
    if english_words := words(en) - NAMES:
        assert HANGUL.search(ko), f"no Hangul, though the English has {english_words}"
    assert not words(ko) - NAMES, f"English words left in the Korean: {words(ko) - NAMES}"


def test_the_allow_list_names_only_real_keys_whose_values_really_are_the_same():
    english, korean = english_catalogue(), korean_catalogue()
    for section, key in SAME_IN_BOTH:
        assert korean[section][key] == english[section][key]


def test_the_book_terms_are_used_and_their_rivals_are_not():
    text = "\n".join(ko for _, _, _, ko in ENTRIES if ko)
    for term in ("과대적합", "가중치 감소", "드롭아웃", "검증", "시험", "훈련", "학습률", "에폭", "배치 정규화", "초깃값",
                 "활성화 함수", "정확도", "손실 함수", "미니배치", "옵티마이저"):
        assert term in text, term
    # spellings a second translator might drift to
    for rival in ("에포크", "과적합", "테스트 데이터", "밸리데이션", "러닝 레이트", "초기값", "드랍아웃", "학습 데이터"):
        assert rival not in text, rival
