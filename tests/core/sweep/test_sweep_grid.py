from __future__ import annotations

import pytest

from core.config import RunConfig
from core.presets import OVERFIT
from core.sweep import MAX_AXIS_POINTS, SweepError, make_spec, parse_grid


@pytest.mark.parametrize(("field", "text", "values"), [
    ("weight_decay", "0,1e-4..1x5log", (0.0, 1e-4, 1e-3, 1e-2, 0.1, 1.0)),
    ("weight_decay", " 0.3, 0.1 ,0.2 ", (0.1, 0.2, 0.3)),            # sorted; spaces ignored
    ("dropout_ratio", "0..0.3x4", (0.0, 0.1, 0.2, 0.3)),             # alias; linear range rounded to 12 digits
    ("n_train", "50,100..400x4log", (50, 100, 159, 252, 400)),       # int field: range values rounded
    ("n_train", "1e3", (1000,)),
    ("hidden_width", "10,100", (10, 100)),
    ("lr", "1e-3..1e-1x3log", (0.001, 0.01, 0.1)),
])
def test_grids_parse_to_sorted_typed_values(field, text, values):
    parsed = parse_grid(field, text)
    assert parsed == values
    int_field = field in ("n_train", "hidden_width")
    assert all(isinstance(v, int if int_field else float) for v in parsed)


def test_the_book_lambda_grid_has_zero_and_nine_log_spaced_values():
    values = parse_grid("weight_decay", "0,1e-4..1x9log")
    assert len(values) == 10 and values[0] == 0.0 and values[1] == 1e-4 and values[-1] == 1.0
    assert values[5] == 0.01  # exactly the typed value, so it shares runs with hand launches


@pytest.mark.parametrize(("field", "text", "message"), [
    ("momentum", "0.9", "The 'vary' parameter must name one of 'weight_decay', 'dropout', 'lr', 'n_train', "
                        "'hidden_width', 'hidden_depth'. Got 'momentum' instead."),
    ("weight_decay", "0,-0.1", "The 'weight_decay' parameter must be a float in the range [0, 100]. Got -0.1 instead."),
    ("dropout", "0,1", "The 'dropout' parameter must be a float in the range [0, 1). Got 1.0 instead."),
    ("n_train", "150.5", "The 'n_train' parameter must be an int in the range [1, inf). Got 150.5 instead."),
    ("hidden_depth", "0,2", "The 'hidden_depth' parameter must be an int in the range [1, 50]. Got 0 instead."),
    ("weight_decay", "", "The 'weight_decay' grid must hold at least one value, and no empty item between commas. "
                         "Got '' instead."),
    ("weight_decay", "0,,1", "The 'weight_decay' grid must hold at least one value, and no empty item between "
                             "commas. Got '0,,1' instead."),
    ("dropout", "0.1,0.2,0.1", "The 'dropout' grid must not repeat a value. Got 0.1 more than once instead."),
    ("n_train", "100,100..200x2", "The 'n_train' grid must not repeat a value. Got 100 more than once instead."),
    ("weight_decay", "0..1x9log", "The 'weight_decay' log range must have both ends above 0. Got 0..1 instead "
                                  "(write 0 as its own value: 0,1e-4..1x9log)."),
    ("weight_decay", "0..1x1000000000", f"The 'weight_decay' range must have a count in the range "
                                        f"[2, {MAX_AXIS_POINTS}]. Got 1000000000 instead."),
    ("weight_decay", "1..0x3", "The 'weight_decay' range must go from a low to a higher value. Got 1..0 instead."),
    ("weight_decay", "nan", "The 'weight_decay' parameter must be a finite number. Got 'nan' instead."),
    ("weight_decay", "1e-4...1x3", "The 'weight_decay' grid must be values and ranges"),
    ("weight_decay", "logspace(1e-4,1,9)", "The 'weight_decay' grid must be values and ranges"),
])
def test_a_bad_grid_is_one_line_naming_the_field(field, text, message):
    with pytest.raises(SweepError) as caught:
        parse_grid(field, text)
    assert str(caught.value).startswith(message), str(caught.value)
    assert "\n" not in str(caught.value)
    assert caught.value.field == ("vary" if field == "momentum" else field)


def test_too_many_values_are_refused():
    text = ",".join(str(i / 1000) for i in range(MAX_AXIS_POINTS + 1))
    with pytest.raises(SweepError, match=f"must hold at most {MAX_AXIS_POINTS} values"):
        parse_grid("weight_decay", text)


def test_n_train_too_large_for_the_dataset_names_the_point():
    with pytest.raises(SweepError) as caught:
        make_spec(OVERFIT, {"n_train": "100,4000"})
    assert caught.value.field == "n_train"
    assert str(caught.value) == ("n_train=4000: n_train + n_val + n_test = 4000 + 100 + 1000 = 5100 exceeds the "
                                 "5000 images of dataset 'mnist5k'.")


def test_too_many_runs_are_refused_before_any_config_is_built():
    with pytest.raises(SweepError) as caught:
        make_spec(RunConfig(n_val=100), {"weight_decay": "0..1x50", "dropout": "0..0.5x50"}, seeds=5)
    assert str(caught.value) == ("The sweep must have at most 1000 runs (points × seeds). Got 50 × 50 × 5 = 12500 "
                                 "instead.")
