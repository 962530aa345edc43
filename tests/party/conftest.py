import pytest

from tests.party.builders import id_number, members, party_org


@pytest.fixture
def branches(district):
    """甲一党支部 covers a1 (area A), 乙一党支部 covers b1 (area B); one member each with personal data."""
    a = party_org("甲一党支部", district.area_a, [district.a1])
    b = party_org("乙一党支部", district.area_b, [district.b1])
    ma = members(a, 1, employer=district.a1, id_number=id_number(seq=11), phone="13812345678")[0]
    mb = members(b, 1, employer=district.b1, id_number=id_number(seq=22), phone="13987654321")[0]
    for m in (ma, mb):
        m.save()  # computes the digest
    return {"a": a, "b": b, "ma": ma, "mb": mb}
