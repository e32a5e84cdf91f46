import pytest
from pydantic import ValidationError

from tests.factories.catalogue import item_payload
from xinyong.catalogue.schemas import FieldSpec, ItemCreate


def test_a_valid_item_passes() -> None:
    item = ItemCreate.model_validate(item_payload())
    assert item.fields[0].code == "XDR_MC"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"region_code": None}, "region"),
        ({"region_code": "52"}, "region"),
        ({"tier": "national"}, "no region"),
        ({"default_severity": None}, "severity"),
        ({"polarity": "positive"}, "only negative"),
        ({"subject_types": ["alien"]}, "subject types"),
        ({"channels": ["fax"]}, "channels"),
        ({"code": "Bad-Code"}, "code"),
        ({"publicity": "secret"}, "publicity"),
        ({"update_frequency": "hourly"}, "update_frequency"),
        ({"fields": []}, "fields"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
def test_invalid_items_are_refused(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError) as err:
        ItemCreate.model_validate(item_payload(**overrides))
    assert message in str(err.value)


def test_duplicate_chinese_column_names_are_refused() -> None:
    payload = item_payload()
    payload["fields"].append(
        {"code": "OTHER", "name_zh": "行政相对人名称", "name_en": "dup", "type": "string"}
    )
    with pytest.raises(ValidationError, match="used twice"):
        ItemCreate.model_validate(payload)


def test_enum_fields_list_their_values() -> None:
    with pytest.raises(ValidationError, match="lists its values"):
        FieldSpec(code="A", name_zh="甲", name_en="a", type="enum")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="only enum"):
        FieldSpec(code="A", name_zh="甲", name_en="a", type="string", enum=["x"])  # type: ignore[arg-type]
