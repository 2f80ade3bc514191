import datetime as dt

import pytest

from helpers.params import ParameterError, check_parameters


def test_valid_parameters_come_back_typed():
    params = check_parameters(lang="en", as_of="2024-12-31")
    assert params.lang == "en"
    assert params.as_of == dt.date(2024, 12, 31)
    assert check_parameters(lang="fr", as_of="").as_of is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"lang": "de"}, "parameter 'lang': 'de' is not one of 'fr', 'en'"),
        ({"lang": 3}, "parameter 'lang' must be a string"),
        ({"as_of": "24/12/2024"}, "parameter 'as_of': '24/12/2024' is not an ISO date"),
        ({"as_of": "20241224"}, "parameter 'as_of': '20241224' is not an ISO date"),
        ({"as_of": "2024-02-30"}, "parameter 'as_of': '2024-02-30' is not an ISO date"),
        ({"langue": "fr"}, "unknown parameter 'langue'"),
        (
            {"include_public_record": "yes"},
            "parameter 'include_public_record' must be True or False",
        ),
        ({"focus": ["musk"]}, "parameter 'focus' must be a string"),
        ({"focus": "musk,Elon Musk"}, "parameter 'focus': 'Elon Musk' is not an actor id"),
    ],
)
def test_bad_parameters_are_rejected_with_their_name(values, message):
    with pytest.raises(ParameterError, match=message):
        check_parameters(**values)


def test_focus_is_a_list_of_known_actor_ids():
    params = check_parameters(known_actors={"musk", "altman"}, focus=" musk, altman ")
    assert params.focus == ("musk", "altman")
    assert params.include_public_record is True
    with pytest.raises(ParameterError, match="parameter 'focus': unknown actor 'zuckerberg'"):
        check_parameters(known_actors={"musk"}, focus="musk,zuckerberg")


def test_the_notebook_declares_exactly_the_parameters_of_the_model():
    from helpers.params import PARAMETERS, declared_parameters
    from helpers.paths import REPORT_NOTEBOOK

    declared = declared_parameters(REPORT_NOTEBOOK)
    assert declared == {p.name: (p.type.__name__, p.default) for p in PARAMETERS}


def test_the_declared_choices_are_the_languages_of_the_catalogues():
    from helpers.i18n import CATALOGUES
    from helpers.params import BY_NAME

    assert set(BY_NAME["lang"].choices) == {path.stem for path in CATALOGUES.glob("*.toml")}
