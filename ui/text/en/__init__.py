"""The English catalogue: every English string of the dashboard, ``EN[section][key]``, looked up with
``ui.text.t`` / ``page_text``.

One module per section (a page group: ``common``, ``home``, ``run`` … ``lesson_search``), each holding ``TEXT``;
``EN`` joins them in this order. The Korean catalogue (``ui/text/ko/``: ``KO``) has the same modules, sections and,
in each, the same keys in the same order; a key it lacks is shown in English. A page's section is searched first,
then ``common``. A new section is a new module here and in ``ko/``, added to both tables below.
"""
from __future__ import annotations

from . import (
    common,
    home,
    run,
    compare,
    results,
    search,
    sweep,
    mechanism,
    lessons,
    lesson_overfitting,
    lesson_weight_decay,
    lesson_validation,
    lesson_dropout,
    lesson_optimizers,
    lesson_activations,
    lesson_batchnorm,
    lesson_search,
)

EN: dict[str, dict[str, str]] = {
    "common": common.TEXT,
    "home": home.TEXT,
    "run": run.TEXT,
    "compare": compare.TEXT,
    "results": results.TEXT,
    "search": search.TEXT,
    "sweep": sweep.TEXT,
    "mechanism": mechanism.TEXT,
    "lessons": lessons.TEXT,
    "lesson_overfitting": lesson_overfitting.TEXT,
    "lesson_weight_decay": lesson_weight_decay.TEXT,
    "lesson_validation": lesson_validation.TEXT,
    "lesson_dropout": lesson_dropout.TEXT,
    "lesson_optimizers": lesson_optimizers.TEXT,
    "lesson_activations": lesson_activations.TEXT,
    "lesson_batchnorm": lesson_batchnorm.TEXT,
    "lesson_search": lesson_search.TEXT,
}
