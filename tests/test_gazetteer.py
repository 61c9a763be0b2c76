"""User gazetteers (pipeline/grammar/gazetteer.py): reading name lists, longest match at word
boundaries, and the recognize stage's org_gazetteers setting."""
import pytest

from pipeline.grammar.gazetteer import Gazetteer, read_name_list
from pipeline.settings import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "configs" / "gazetteers" / "example_listed_companies.csv"


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_a_csv_lists_short_and_full_names_with_the_full_one_canonical(tmp_path):
    names = read_name_list(write(tmp_path, "list.csv", "name,full_name,code\n海达科技,海达科技股份有限公司,300123\n"))
    assert names["海达科技"].canonical == "海达科技股份有限公司" and names["海达科技"].code == "300123"
    assert names["海达科技股份有限公司"].canonical == "海达科技股份有限公司"


def test_a_text_file_is_one_name_a_line_with_comments(tmp_path):
    names = read_name_list(write(tmp_path, "list.txt", "# my market\n海达科技\n\n南山铝业  # an aluminium maker\n甲\n"))
    assert sorted(names) == ["南山铝业", "海达科技"]  # one character is too short to list


@pytest.mark.parametrize("content, message", [
    ("short,full\n海达科技,海达科技股份有限公司\n", "'name' column"),
    ("name,full_name\n,海达科技股份有限公司\n", "line 2: empty name"),
])
def test_a_bad_csv_is_an_error_naming_it(tmp_path, content, message):
    with pytest.raises(ValueError, match=message):
        read_name_list(write(tmp_path, "bad.csv", content))


def test_a_missing_list_is_an_error_naming_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.csv"):
        Gazetteer.from_files([tmp_path / "nowhere.csv"])


MATCH_CASES = [
    # (text, word boundaries, names found)
    ("平安银行与平安集团", None, ["平安银行", "平安"]),           # the longest listed name wins
    ("平安银行与平安集团", {0, 4, 5, 7, 9}, ["平安银行", "平安"]),
    ("中海油发布公告", {0, 3, 5, 7}, []),                        # 中海 inside the word 中海油
    ("珠海中海岸", {0, 2, 5}, []),
]


@pytest.mark.parametrize("text, boundaries, names", MATCH_CASES)
def test_longest_match_at_word_boundaries(tmp_path, text, boundaries, names):
    gazetteer = Gazetteer.from_files([write(tmp_path, "list.txt", "平安\n平安银行\n中海\n")])
    assert [text[m.start:m.end] for m in gazetteer.find(text, boundaries)] == names


def test_the_recognize_stage_tags_listed_names_with_their_full_name():
    from pipeline.language import load_pipeline

    nlp = load_pipeline(overrides={"components.newsie_recognize.org_model": None,
                                   "components.newsie_recognize.org_gazetteers": [str(EXAMPLE)]})
    doc = nlp("今年以来，贵州茅台和恒瑞医药的股价均有上涨。")
    found = {(span.text, span._.attrs["source"], span._.attrs["canonical"])
             for span in doc.spans["newsie"] if span.label_ == "ORG"}
    assert ("贵州茅台", "gazetteer", "贵州茅台酒股份有限公司") in found
    assert ("恒瑞医药", "gazetteer", "江苏恒瑞医药股份有限公司") in found
