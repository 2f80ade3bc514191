"""data/README.md describes every field of every table, as the schema does."""

import pytest

from helpers.datadict import README, updated_readme
from helpers.paths import DATA_DIR
from helpers.validate import read_descriptor


def test_readme_field_tables_match_the_schema():
    text = README.read_text(encoding="utf-8")
    assert updated_readme(text, read_descriptor(DATA_DIR)) == text, (
        "data/README.md is out of date: run `python -m helpers.datadict`"
    )


def test_every_field_is_in_the_readme_with_its_codes():
    text = README.read_text(encoding="utf-8")
    for resource in read_descriptor(DATA_DIR)["resources"]:
        assert f"`{resource['path']}`" in text
        for field in resource["schema"]["fields"]:
            assert f"| `{field['name']}` | {field['description'][:30]}" in text.replace("\\|", "|")
            for code in field.get("constraints", {}).get("enum", []):
                assert f"`{code}`" in text


def test_a_readme_without_markers_is_refused():
    with pytest.raises(ValueError, match="lacks the markers"):
        updated_readme("# no markers here\n", read_descriptor(DATA_DIR))
