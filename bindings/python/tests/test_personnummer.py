"""Personnummer: jamstat.Personnummer.parse, its masked string form, jamstat.mask_personnummer, and
the canonical form as a person id.

The values are those of tests/c_api/personnummer_test.c. Its check digits are Skatteverket's Luhn
digits, computed independently in Python 3:
  def luhn(nine): s = sum(d // 10 + d % 10 for d in (int(c) * (2 - i % 2) for i, c in enumerate(nine)))
                  return (10 - s % 10) % 10
  luhn('811218987') == 6, luhn('701063239') == 1, luhn('121212121') == 2, luhn('300101123') == 2,
  luhn('000229123') == 5, luhn('251231123') == 0
"""
import datetime
import pickle

import pytest

import jamstat
import jamstat.personnummer as pnr_module
from conftest import TEST_KEY

D = datetime.date
END_2025 = D(2025, 12, 31)


def parse(text, day=END_2025):
    return jamstat.Personnummer.parse(text, day)


def test_a_valid_number():
    p = parse("811218-9876")
    assert p.canonical == "198112189876"
    assert p.person_id == b"198112189876"
    assert p.birth_date == D(1981, 12, 18)
    assert p.sex == jamstat.SEX_MALE == 1  # second-to-last digit 7: odd
    assert p.age == 44
    assert p.is_samordningsnummer is False
    assert p.reference_date == END_2025


@pytest.mark.parametrize("form", ["198112189876", "19811218-9876", "8112189876", "  811218-9876 ", b"811218-9876"])
def test_every_form_has_the_same_canonical_form(form):
    p = parse(form)
    assert p.canonical == "198112189876"
    assert p == parse("811218-9876") and hash(p) == hash(parse("811218-9876"))


def test_age_in_completed_years():
    assert parse("811218-9876", D(2025, 12, 17)).age == 43  # the day before the birthday
    assert parse("811218-9876", D(2025, 12, 18)).age == 44  # on it
    # 29 February: a year older on 1 March in a year without that day
    p = parse("000229-1235", D(2001, 2, 28))
    assert p.birth_date == D(2000, 2, 29) and p.age == 0 and p.sex == 1  # 3: odd
    assert parse("000229-1235", D(2001, 3, 1)).age == 1
    # a datetime is a date too
    assert parse("811218-9876", datetime.datetime(2025, 12, 18, 23, 59)).age == 44


def test_samordningsnummer():
    p = parse("701063-2391", D(2025, 6, 1))
    assert p.is_samordningsnummer is True
    assert p.canonical == "197010632391"  # keeps its day + 60
    assert p.birth_date == D(1970, 10, 3)  # the real birth date
    assert p.sex == 1  # 9: odd
    assert p.age == 54


def test_plus_sign_and_century():
    p = parse("121212+1212")
    assert p.birth_date.year == 1912 and p.age == 113 and p.sex == 1  # '+': a hundred years earlier
    p = parse("121212-1212")
    assert p.birth_date.year == 2012 and p.age == 13
    # the century of a 10-digit form: the latest year not after the reference year
    assert parse("251231-1230", END_2025).birth_date.year == 2025
    with pytest.raises(jamstat.InvalidPersonnummerError) as e:
        parse("251231-1230", D(2025, 12, 30))
    assert e.value.problem == "born_after_reference"


@pytest.mark.parametrize("text,problem", [
    ("811218-9875", "check_digit"),
    ("811218-98765", "format"),
    ("81121-9876", "format"),
    ("", "format"),
    ("abcdef-ghij", "format"),
    ("811318-9875", "invalid_date"),
    ("20300101-1232", "born_after_reference"),
    ("19811218+9876", "plus_sign_mismatch"),
])
def test_every_problem_raises_a_value_error_naming_it(text, problem):
    with pytest.raises(jamstat.InvalidPersonnummerError) as e:
        parse(text)
    err = e.value
    assert isinstance(err, ValueError)
    assert err.problem == problem
    assert pnr_module.PROBLEM_NAMES[err.problem_code] == problem
    assert err.message and err.message == pnr_module.problem_message(err.problem_code)
    digits = "".join(c for c in text if c.isdigit())
    if len(digits) >= 4:
        assert digits not in str(err) and text not in str(err)  # no message contains the number


def test_problem_names_and_messages():
    assert pnr_module.problem_name(jamstat.PERSONNUMMER_CHECK_DIGIT) == "check_digit"
    assert pnr_module.problem_name(jamstat.PERSONNUMMER_VALID) == "valid"
    assert pnr_module.problem_name(99) == "unknown" and pnr_module.problem_name(-1) == "unknown"
    assert pnr_module.problem_message(jamstat.PERSONNUMMER_VALID) == ""
    assert pnr_module.problem_message(99) == ""
    assert pnr_module.problem_message(jamstat.PERSONNUMMER_CHECK_DIGIT) == "the check digit does not match"
    assert set(pnr_module.PROBLEM_NAMES.values()) == {
        "valid", "format", "invalid_date", "check_digit", "born_after_reference", "plus_sign_mismatch"}


def test_bad_arguments_are_the_librarys_errors():
    with pytest.raises(jamstat.InvalidArgumentError, match="reference date"):
        parse("811218-9876", D(1800, 1, 1))
    with pytest.raises(TypeError):
        parse("811218-9876", "2025-12-31")
    with pytest.raises(TypeError):
        parse(8112189876)
    # a text is passed with its length: bytes after a NUL are read, not cut off
    with pytest.raises(jamstat.InvalidPersonnummerError) as e:
        parse("811218-9876\0" + "1234")
    assert e.value.problem == "format"


def test_the_string_form_never_shows_the_number():
    p = parse("811218-9876")
    for text in (repr(p), str(p), "%s" % p, "{}".format(p), "{:>30}".format(p), repr([p]), f"{p!r}"):
        assert "9876" not in text and "811218" not in text and "1981" not in text
    assert repr(p) == "Personnummer(XXXXXXXX-XXXX)"
    with pytest.raises(TypeError):
        pickle.dumps(p)


def test_immutable_and_only_made_by_parse():
    p = parse("811218-9876")
    with pytest.raises(AttributeError):
        p.sex = 2
    with pytest.raises(AttributeError):
        p._canonical = "x"
    with pytest.raises(AttributeError):
        del p._age
    with pytest.raises(TypeError):
        jamstat.Personnummer("811218-9876")
    assert not hasattr(p, "__dict__")


def test_masking():
    text = "pnr 811218-9876, 198112189876 and 701063-2391; case 12345, 2025-12-31"
    want = "pnr XXXXXX-XXXX, XXXXXXXXXXXX and XXXXXX-XXXX; case 12345, 2025-12-31"
    assert jamstat.mask_personnummer(text) == want
    assert jamstat.mask_personnummer(text.encode()) == want.encode()
    assert jamstat.mask_personnummer("") == ""
    assert jamstat.mask_personnummer("Män 811218-9876 å") == "Män XXXXXX-XXXX å"  # UTF-8 in and out
    with pytest.raises(TypeError):
        jamstat.mask_personnummer(None)


def test_a_buffer_too_small_is_retried(monkeypatch):
    # longer than the first buffer: the library says how much it needs, and the call is repeated
    long_text = "; ".join("pnr 811218-9876 nr %d" % i for i in range(100))
    assert len(long_text) > pnr_module._MASK_BUFFER
    want = long_text.replace("811218-9876", "XXXXXX-XXXX")
    assert jamstat.mask_personnummer(long_text) == want
    monkeypatch.setattr(pnr_module, "_MASK_BUFFER", 1)  # too small for every text but ""
    assert jamstat.mask_personnummer("pnr 811218-9876") == "pnr XXXXXX-XXXX"
    assert jamstat.mask_personnummer("") == ""
    monkeypatch.setattr(pnr_module, "_MASK_BUFFER", 0)
    assert jamstat.mask_personnummer("x") == "x"


@pytest.fixture
def sex_only_schema():
    with jamstat.SchemaBuilder() as b:
        s = b.build()
    yield s
    s.close()


def test_two_forms_of_one_number_are_one_person(sex_only_schema):
    a, b = parse("811218-9876"), parse("198112189876")
    with jamstat.Aggregator(sex_only_schema, person_key=TEST_KEY) as agg:
        agg.add(sex=a.sex, person_id=a)           # the object itself
        agg.add(sex=b.sex, person_id=b.person_id)  # or its canonical bytes
        with agg.total() as t:
            (r,) = t.to_records()
        assert r["participations"] == 2 and r["persons"] == 1
        # the third record of the C test: another person
        c = parse("701063-2391")
        agg.add(sex=c.sex, person_id=c)
        with agg.total() as t:
            assert t.to_records()[0]["persons"] == 2


def test_personnummer_objects_in_a_person_id_column(sex_only_schema):
    forms = ["811218-9876", "198112189876", "19811218-9876", "701063-2391"]
    people = [parse(f) for f in forms]
    rows = {"sex": [p.sex for p in people], "person_id": people}
    with jamstat.Aggregator(sex_only_schema, person_key=TEST_KEY) as agg:
        agg.add_batch(rows)
        with agg.total() as t:
            r = t.to_records()[0]
        assert r["participations"] == 4 and r["persons"] == 2
        # the same as the canonical strings, hashed as their UTF-8 (= ASCII) bytes
        with jamstat.Aggregator(sex_only_schema, person_key=TEST_KEY) as other:
            other.add_batch({"sex": rows["sex"], "person_id": [p.canonical for p in people]})
            assert other.serialize() == agg.serialize()
