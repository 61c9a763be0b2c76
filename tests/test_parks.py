"""PARK: the zone tables and rules of pipeline.grammar.parks, and park names found with them."""
import pytest

from pipeline.grammar.parks import (
    PARK_HEADS, head_allowed, is_place_word, joint_start, longest_only, merge_park_fragments, places,
)

from conftest import boundaries


def test_heads_longest_first_and_every_park_word_has_its_qu_form():
    assert list(PARK_HEADS) == sorted(PARK_HEADS, key=len, reverse=True)
    for head in ("经济技术开发区", "新技术开发区", "综合保税区", "保税港区", "自由贸易试验区", "片区", "新区",
                 "边境经济合作区", "经济综合实验区", "产业园区", "工业园区", "科技园区", "物流园区", "研创园", "知识城"):
        assert head in PARK_HEADS


@pytest.mark.parametrize("text,name,head,allowed", [
    ("中国(湖北)自由贸易试验区武汉片区", "中国(湖北)自由贸易试验区武汉", "片区", True),
    ("老城片区改造", "老城", "片区", False),
    ("浦东新区人民政府发布", "浦东", "新区", False),
    ("浦东新区街道", "浦东", "新区", False),
    ("浦东新区引进外资", "浦东", "新区", True),
    ("两江新区", "两江", "新区", True),
])
def test_head_allowed(text, name, head, allowed):
    head_start = len(name)
    assert head_allowed(text, 0, head_start, head_start + len(head)) is allowed


@pytest.mark.parametrize("text,start,expected", [("中新天津生态城", 2, 0), ("中德产业园", 2, 0), ("天津生态城", 0, 0),
                                                 ("集中天津", 2, 2)])
def test_joint_start(text, start, expected):
    assert joint_start(text, start) == expected


@pytest.mark.parametrize("words,expected", [
    ([("深圳", "ns"), ("前", "f"), ("海", "n")], [("深圳", "ns"), ("前海", "x")]),
    ([("滇", "j"), ("中", "f"), ("新区", "n")], [("滇中", "x"), ("新区", "n")]),
    ([("在", "p"), ("前", "f")], [("在", "p"), ("前", "f")]),  # a preposition is never joined
    ([("将", "d"), ("新", "a")], [("将", "d"), ("新", "a")]),
    ([("海", "n"), ("湾", "n")], [("海", "n"), ("湾", "n")]),  # no odd class in the run
])
def test_merge_park_fragments(words, expected):
    assert merge_park_fragments(words, {"在", "将", "新"}) == expected


@pytest.mark.parametrize("word,expected", [("包头", True), ("大连市", True), ("江苏省", True), ("黔东南州", True),
                                           ("平顶山", True), ("稀土", False), ("大连金", False), ("省", False)])
def test_is_place_word(word, expected):
    assert is_place_word(word) is expected


def test_places_table_has_every_province_and_no_blank():
    assert len(places()) > 330
    assert {"北京", "新疆", "内蒙古", "广西", "香港", "台湾"} <= places()
    assert all(word and not word.endswith(("省", "市")) for word in places())


def test_longest_only():
    assert longest_only([(0, 6), (0, 13), (20, 24)]) == [(0, 13), (20, 24)]


PARK_CASES = [
    # national zones of every kind, with the place names and the words jieba splits oddly
    ("企业落户武汉东湖新技术开发区。", ["武汉东湖新技术开发区"]),
    ("广州南沙新区出台支持政策。", ["广州南沙新区"]),
    ("天津滨海新区是国家级新区。", ["天津滨海新区"]),
    ("重庆两江新区引进项目30个。", ["重庆两江新区"]),
    ("青岛西海岸新区生产总值增长。", ["青岛西海岸新区"]),
    ("雄安新区建设提速。", ["雄安新区"]),
    ("郑州航空港经济综合实验区进出口额增长。", ["郑州航空港经济综合实验区"]),
    ("南京江北新区产业技术研创园集聚企业。", ["南京江北新区产业技术研创园"]),
    ("中国(湖北)自由贸易试验区武汉片区新增企业。", ["中国(湖北)自由贸易试验区武汉片区"]),
    ("瑞丽边境经济合作区加快建设。", ["瑞丽边境经济合作区"]),
    ("中新天津生态城引进企业。", ["中新天津生态城"]),
    ("广州知识城揭牌。", ["广州知识城"]),
    ("深圳前海深港现代服务业合作区发布政策。", ["深圳前海深港现代服务业合作区"]),
    ("长沙经开区工业总产值增长。", ["长沙经开区"]),
    ("昆山综合保税区进出口总额创新高。", ["昆山综合保税区"]),
    ("洋山保税港区货物吞吐量增长。", ["洋山保税港区"]),
    ("成都高新区发布人才政策。", ["成都高新区"]),
    ("合肥经济技术开发区签约项目。", ["合肥经济技术开发区"]),
    ("嘉兴现代物流园区投入运营。", ["嘉兴现代物流园区"]),
    ("珠海横琴粤澳深度合作区挂牌一周年。", ["珠海横琴粤澳深度合作区"]),
    ("中国（四川）自由贸易试验区成都天府新区片区新设企业。", ["中国（四川）自由贸易试验区成都天府新区片区"]),
    ("二连浩特边境经济合作区加快发展。", ["二连浩特边境经济合作区"]),
    ("上海漕河泾新兴技术开发区举行推介会。", ["上海漕河泾新兴技术开发区"]),
    ("中德（沈阳）高端装备制造产业园获批。", ["中德（沈阳）高端装备制造产业园"]),
    ("南昌小蓝经济技术开发区汽车零部件产业园投产。", ["南昌小蓝经济技术开发区汽车零部件产业园"]),  # 零部件/mq
    ("苏州纳米城是苏州工业园区的重要载体。", ["苏州纳米城", "苏州工业园区"]),  # jieba: 城是
    ("武汉光谷生物城新落户企业50家。", ["武汉光谷生物城"]),  # jieba: 城新
    ("平顶山尼龙新材料产业集聚区新签约项目8个。", ["平顶山尼龙新材料产业集聚区"]),  # 新/a inside
    ("包头稀土高新技术产业开发区稀土产业增长。", ["包头稀土高新技术产业开发区"]),  # 包头/v
    ("大连金普新区推进开放。", ["大连金普新区"]),  # 大连/d
    ("霍尔果斯国际边境合作中心客流回升。", ["霍尔果斯国际边境合作中心"]),
    ("东莞南城科技园吸引企业。", ["东莞南城科技园"]),  # a direction before a place: 南/f 城
    ("鄂尔多斯零碳产业园开工。", ["鄂尔多斯零碳产业园"]),  # 零/m 碳/n
    ("上海张江高科技园区发布政策。", ["上海张江高科技园区"]),
    # a zone followed by one of its parks is one mention
    ("兰州新区精细化工园区新开工项目20个。", ["兰州新区精细化工园区"]),  # 精细化工/化工园区
    ("赣州经开区新能源汽车科技城加快建设。", ["赣州经开区新能源汽车科技城"]),  # 经/开区
    ("湖南湘江新区智能网联汽车产业园落成。", ["湖南湘江新区智能网联汽车产业园"]),  # 智能网/联
    ("苏州工业园区中新生态科技城引进企业。", ["苏州工业园区中新生态科技城"]),
    ("西安高新区与西咸新区签署合作协议。", ["西安高新区", "西咸新区"]),
    # not parks: districts, generic zones, a new building
    ("滨海新区常住人口达到200万。", []),
    ("当地将建设一个新的物流园区。", []),
    ("自贸试验区建设取得积极进展。", []),
    ("浦东新区人民政府发布通知。", []),
    ("国家级经济技术开发区综合发展水平考核结果公布。", []),
    ("园区将新建产业园。", []),
    ("老城片区改造启动。", []),
]


@pytest.mark.parametrize("text,expected", PARK_CASES)
def test_park_names(finder, text, expected):
    assert [text[m.start:m.end] for m in finder.park_names(text, boundaries(finder, text))] == expected
