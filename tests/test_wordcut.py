"""``JiebaCut`` (jieba-rs) must give jieba's own words: the ORG model's lexicon features were
trained on jieba's segmentation, and every token offset of the pipeline follows from it."""
from __future__ import annotations

import logging
import random

import jieba
import pytest

from pipeline.text.wordcut import JiebaCut

from conftest import SEED_PATH

jieba.setLogLevel(logging.WARNING)

# Where jieba-rs alone departs from jieba (non-Chinese runs of unknown characters), and the
# dictionary's own words that mix Latin letters, digits or symbols.
TRICKY = [
    "2003-04赛季两队一同从意乙升级", "截止到版本6.71B，Dota总共有122种物品", "白杨rs-12m型洲际弹道导弹",
    "水准70-80美元间波动", "美军的f-22在“特殊时期”", "2018-10-17期速看", "增长3.5%，占比100%",
    "AT&T与C++、c#", "B超和T恤", "A股上市，完成B轮融资", "ＡＢＣ公司２０２５年　营收\u3000100亿元😀\r\n  x\t y",
    "", " ", "\n\n", "a  b", "深圳市腾讯计算机系统有限公司(Tencent)", "1.2.3.4-5_6#7+8&9", "www.example.com/a-b",
]


@pytest.fixture(scope="module")
def both() -> tuple[jieba.Tokenizer, JiebaCut]:
    reference = jieba.Tokenizer()
    reference.initialize()
    return reference, JiebaCut()


def random_strings(count: int, seed: int = 1) -> list[str]:
    alphabet = (list("公司有限科技上海市金山区新材料产业园投资亿元万年增长中国的了是在") + list("abcXYZ0123456789")
                + list(".-%+#&_ \t\n\r\u3000，。、（）()《》“”：:；/@!！?？·—～") + ["😀", "Ａ", "１", "é", "\u200b", "カ"])
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(count)]


@pytest.mark.parametrize("hmm", [True, False])
def test_words_equal_jieba(both, hmm):
    reference, cutter = both
    texts = TRICKY + SEED_PATH.read_text(encoding="utf-8").splitlines() + random_strings(3000)
    for text in texts:
        assert cutter.cut(text, hmm) == reference.lcut(text, HMM=hmm), text


def test_user_dictionary_words_are_kept(tmp_path):
    user_dict = tmp_path / "user.txt"
    user_dict.write_text("青赛生物 10 nt\n普睿玛\n", encoding="utf-8")
    text = "上海青赛生物科技有限公司与普睿玛签约"
    reference = jieba.Tokenizer()
    reference.load_userdict(str(user_dict))
    cutter = JiebaCut(user_dict=str(user_dict))
    assert "青赛生物" in cutter.cut(text) and "普睿玛" in cutter.cut(text)
    assert cutter.cut(text) == reference.lcut(text)
    # the words are the user dictionary's segmenter's own: the default segmenter is shared
    # within a process and must not learn them
    assert JiebaCut().cut(text) == jieba.Tokenizer().lcut(text)
    assert "青赛生物" not in JiebaCut().cut(text) and "普睿玛" not in JiebaCut().cut(text, hmm=False)


def test_bad_dictionary_names_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.txt"):
        JiebaCut(user_dict=str(tmp_path / "missing.txt"))
    bad = tmp_path / "bad.txt"
    bad.write_text("词 x y z\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.txt, line 1"):
        JiebaCut(user_dict=str(bad))
