import jieba
import pytest

from pipeline.names import find_org_names, find_park_names, short_name


def boundaries(text):
    offsets, position = {0}, 0
    for word in jieba.lcut(text):
        position += len(word)
        offsets.add(position)
    return offsets


ORG_CASES = [
    ("华为技术有限公司与上海交通大学签署协议", ["华为技术有限公司", "上海交通大学"]),
    ("发那科(上海)机器人有限公司落户", ["发那科(上海)机器人有限公司"]),
    ("位于金山工业区的奥来德光电材料股份有限公司上市", ["奥来德光电材料股份有限公司"]),
    ("积塔半导体有限公司在临港投资", ["积塔半导体有限公司"]),
    ("中国科学院上海有机化学研究所发布成果", ["中国科学院上海有机化学研究所"]),
    ("这家公司和该集团都没有名字", []),
    ("3家公司入驻", []),
]


@pytest.mark.parametrize("text,expected", ORG_CASES)
def test_org_names(text, expected):
    found = {text[m.start:m.end] for m in find_org_names(text, boundaries(text))}
    assert set(expected) <= found
    # Anything else found is a part of an expected name (上海交通大学 in a longer one), never new.
    assert all(any(name in e for e in expected) for name in found)


PARK_CASES = [
    ("位于金山工业区的企业", ["金山工业区"]),
    ("打造以“碳谷绿湾”特色产业园为核心", ["“碳谷绿湾”特色产业园"]),
    ("新揭牌的长三角智能装备园", ["长三角智能装备园"]),
    ("落户苏州工业园区", ["苏州工业园区"]),
    ("合肥高新技术产业开发区管委会表示", ["合肥高新技术产业开发区"]),
    ("在张江科学城建设", ["张江科学城"]),
    ("通过特色园区建设", []),
]


@pytest.mark.parametrize("text,expected", PARK_CASES)
def test_park_names(text, expected):
    found = [text[m.start:m.end] for m in find_park_names(text, boundaries(text))]
    assert found == expected


SHORT_NAMES = [
    ("奥来德光电材料股份有限公司", "奥来德"),
    ("上海东富龙制药设备制造有限公司", "东富龙"),
    ("华为技术有限公司", "华为"),
    ("京东方科技集团股份有限公司", "京东方"),
    ("发那科(上海)机器人有限公司", "发那科"),
    ("上海交通大学", None),
]


@pytest.mark.parametrize("full,short", SHORT_NAMES)
def test_short_name(full, short):
    assert short_name(full) == short
