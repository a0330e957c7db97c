"""The price table against section 9 of kling-api.md, and reading a replacement."""

from __future__ import annotations

import pytest

from cmforge.generate.kling import PriceTable

# kling-api.md section 9: units per clip (std 5 s, std 10 s, pro 5 s, pro 10 s), source
SECTION_9 = {
    "kling-v1": ((1, 2, 3.5, 7), "doc"),
    "kling-v1-5": ((2, 4, 3.5, 7), "doc"),
    "kling-v1-6": ((2, 4, 3.5, 7), "doc"),
    "kling-v2-master": ((10, 20, 10, 20), "doc"),
    "kling-v2-1": ((2, 4, 3.5, 7), "3p"),
    "kling-v2-1-master": ((10, 20, 10, 20), "3p"),
    "kling-v2-5-turbo": ((1.5, 3, 2.5, 5), "3p"),
    "kling-v2-6": ((1.5, 3, 2.5, 5), "3p"),
}


@pytest.mark.parametrize("model", sorted(SECTION_9))
def test_units_and_sources_match_section_9(model):
    table = PriceTable()
    row, source = SECTION_9[model]
    got = [table.price(model, mode, length).units for mode in ("std", "pro") for length in (5, 10)]
    assert tuple(got) == row
    price = table.price(model, "std", 5)
    assert price.known and price.source == source


def test_money_is_at_the_list_price_of_a_unit():
    table = PriceTable()
    assert table.unit_price == 0.14
    assert table.price("kling-v1", "std", 5).money == 0.14
    assert table.price("kling-v1", "pro", 5).money == 0.49  # "3.5 units ~ $0.49"
    assert set(table.units) == set(SECTION_9)


def test_an_unknown_model_is_priced_at_the_dearest_entry():
    price = PriceTable().price("kling-v9", "pro", 10)
    assert (price.units, price.known, price.source) == (20, False, "assumed")


def test_a_table_from_toml_replaces_the_default(tmp_path):
    path = tmp_path / "prices.toml"
    path.write_text('unit_price = 0.2\n[units]\n"kling-v1" = [1, 2, 3, 6]\n', encoding="utf-8")
    table = PriceTable.from_toml(path)
    price = table.price("kling-v1", "pro", 10)
    assert (price.units, price.money, price.source) == (6, 1.2, "config")
    path.write_text('[units]\n"kling-v1" = [1, 2]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="4 numbers"):
        PriceTable.from_toml(path)
