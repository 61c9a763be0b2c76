"""Tests of the statistical ORG recognizer (pipeline/models/org/).

Nothing here touches the network: HF_HUB_OFFLINE is set and hanlp's downloader is patched to
fail. The shipped model is only loaded, never retrained; a tiny model is trained in tmp_path.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HANLP_VERBOSE", "0")

import torch  # noqa: E402

torch.set_num_threads(1)

from pipeline.models.org import data as org_data, decoding, network, tagger  # noqa: E402
from pipeline.models.org.data import bio_to_spans, read_bio, read_cluener  # noqa: E402
from pipeline.models.org.network import CRFFixedNamedEntityRecognizer  # noqa: E402
from pipeline.models.org.tagger import OrgModel, split_chunks  # noqa: E402
from pipeline.training import ner as training  # noqa: E402
from pipeline.training.ner import span_f1  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "models" / "org_ner"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    import hanlp.utils.io_util as io_util

    def _refuse(*args, **kwargs):
        raise AssertionError(f"network download attempted: {args} {kwargs}")

    monkeypatch.setattr(io_util, "download", _refuse)


# --------------------------------------------------------------------------- readers
def test_read_bio_and_label_map(tmp_path):
    p = tmp_path / "mini.bio"
    p.write_text("华\tB-ORG\n为\tI-ORG\n在\tO\n京\tB-LOC\n\n\n张\tB-PER\n三\tI-PER\n", encoding="utf-8")
    sents = read_bio(p)
    assert sents == [(["华", "为", "在", "京"], ["B-ORG", "I-ORG", "O", "B-LOC"]),
                     (["张", "三"], ["B-PER", "I-PER"])]
    only_org = read_bio(p, {"ORG": "ORG"})
    assert only_org[0][1] == ["B-ORG", "I-ORG", "O", "O"]
    assert only_org[1][1] == ["O", "O"]


@pytest.mark.parametrize("bad", ["华 B-ORG\n", "华\tB-ORG\textra\n", "华为\tB-ORG\n", "华\tX-ORG\n"])
def test_read_bio_malformed_names_file(tmp_path, bad):
    p = tmp_path / "broken.bio"
    p.write_text("好\tO\n" + bad, encoding="utf-8")
    with pytest.raises(ValueError) as err:
        read_bio(p)
    assert "broken.bio:2" in str(err.value)


CLUENER_RECORDS = [
    {"text": "浙商银行企业信贷部叶老桂博士说", "label": {"company": {"浙商银行": [[0, 3]]}, "name": {"叶老桂": [[9, 11]]}}},
    {"text": "国务院和皇家马德里队", "label": {"government": {"国务院": [[0, 2]]},
                                         "organization": {"皇家马德里队": [[4, 9]]}}},
    {"text": "没有实体", "label": {}},
]


@pytest.mark.parametrize("layout", ["list", "lines", "concatenated"])
def test_read_cluener_layouts(tmp_path, layout):
    p = tmp_path / "c.json"
    if layout == "list":
        p.write_text(json.dumps(CLUENER_RECORDS, ensure_ascii=False), encoding="utf-8")
    elif layout == "lines":
        p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in CLUENER_RECORDS), encoding="utf-8")
    else:
        p.write_text("".join(json.dumps(r, ensure_ascii=False, indent=2) for r in CLUENER_RECORDS), encoding="utf-8")
    sents = read_cluener(p)
    assert len(sents) == 3
    chars, tags = sents[0]
    assert bio_to_spans(tags) == [(0, 4, "ORG"), (9, 12, "PER")]
    org_only = read_cluener(p, {"company": "ORG", "government": "ORG", "organization": "ORG"})
    assert bio_to_spans(org_only[0][1]) == [(0, 4, "ORG")]  # the person is dropped
    assert bio_to_spans(sents[1][1]) == [(0, 3, "ORG"), (4, 10, "ORG")]
    assert sents[2][1] == ["O"] * 4


def test_read_cluener_errors_name_file(tmp_path):
    p = tmp_path / "bad_offsets.json"
    p.write_text(json.dumps([{"text": "浙商银行", "label": {"company": {"浙商银行": [[1, 3]]}}}],
                            ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="bad_offsets.json"):
        read_cluener(p)
    p2 = tmp_path / "not_json.json"
    p2.write_text('{"text": "x", ', encoding="utf-8")
    with pytest.raises(ValueError, match="not_json.json"):
        read_cluener(p2)


def test_span_f1_and_chunks():
    s = span_f1([[(0, 2, "ORG"), (5, 7, "ORG"), (8, 9, "LOC")]], [[(0, 2, "ORG"), (5, 6, "ORG")]])
    assert (s["tp"], s["gold"], s["pred"]) == (1, 2, 2)
    text = "甲" * 400 + "。乙，丙\n\n丁"
    chunks = split_chunks(text, max_len=150)
    assert chunks[0][0] == 0 and chunks[-1][1] == len(text)
    assert all(e - s <= 150 for s, e in chunks)
    assert all(a[1] == b[0] for a, b in zip(chunks, chunks[1:]))


# --------------------------------------------------------------------------- shipped model
@pytest.fixture(scope="module")
def shipped() -> OrgModel:
    assert (SHIPPED / "model.pt").is_file(), f"shipped model missing under {SHIPPED}"
    return OrgModel.load(str(SHIPPED))


def _surfaces(text, spans):
    return [text[s:e] for s, e, _ in spans]


def test_shipped_model_finds_orgs(shipped):
    texts = ["华为技术有限公司与上海交通大学签署合作协议。",
             "中国人民银行和国家发展改革委员会今天联合发布通知。"]
    preds = shipped.predict(texts)
    found = [_surfaces(t, p) for t, p in zip(texts, preds)]
    assert "华为技术有限公司" in found[0] and "上海交通大学" in found[0], found
    assert "中国人民银行" in found[1], found
    assert all(lab == "ORG" for p in preds for _, _, lab in p)


def test_offsets_exact_with_whitespace_and_long_text(shipped):
    base = "华为技术有限公司与上海交通大学签署合作协议。"
    spaced = "  \t华为技术有限公司 与\u3000上海交通大学\n\n签署 合作协议。 "
    long_text = base * 250  # 5,500 chars in 250 sentences
    commas = "据悉，华为技术有限公司与上海交通大学签署合作协议，" * 120  # 3,000 chars, no sentence end
    run_on = "据悉华为技术有限公司与上海交通大学签署合作协议" * 120  # 2,760 chars, no punctuation at all
    texts = [spaced, long_text, commas, "", "   \n ", run_on]
    preds = shipped.predict(texts)
    for text, spans in zip(texts, preds):
        for s, e, lab in spans:
            assert 0 <= s < e <= len(text)
            surface = text[s:e]
            assert surface == surface.strip() or " " in surface.strip()
    assert "华为技术有限公司" in _surfaces(spaced, preds[0])
    single = _surfaces(base, shipped.predict([base])[0])
    # identical sentences -> identical predictions at shifted, exact offsets
    assert len(preds[1]) == 250 * len(single)
    assert _surfaces(long_text, preds[1])[: len(single)] == single
    assert preds[3] == [] and preds[4] == []
    # long sentences are cut at commas, so every mention is seen in its own context
    assert _surfaces(commas, preds[2]).count("华为技术有限公司") == 120
    # run-on text is hard-cut every max_chunk chars: offsets stay exact, mentions still found
    # (without any punctuation the model may run a name into its neighbours, so count the
    # repetitions of the name that some span covers)
    covered = sum("华为技术有限公司" in surface for surface in _surfaces(run_on, preds[5]))
    assert covered >= 100


def test_missing_model_path():
    with pytest.raises(FileNotFoundError, match="no/such/model_dir"):
        OrgModel.load("no/such/model_dir")


def test_a_model_loads_with_exactly_its_saved_weights():
    # built without initial weights (faster), so every weight must come from the file
    component = CRFFixedNamedEntityRecognizer()
    component.load(str(SHIPPED), devices=-1)
    saved = torch.load(SHIPPED / "model.pt", map_location="cpu", weights_only=True)
    weights = component.model.state_dict()
    assert set(weights) == set(saved)
    for name, tensor in weights.items():
        assert tensor.dtype == torch.float32 and torch.equal(tensor, saved[name].float()), name
    assert all(parameter.device.type == "cpu" for parameter in component.model.parameters())


def test_uninitialised_weights_leaves_torch_init_as_it_was_even_on_an_error():
    from pipeline.models.org.network import uninitialised_weights

    before = dict(vars(torch.nn.init))
    with pytest.raises(RuntimeError):
        with uninitialised_weights():
            weight = torch.nn.Linear(3, 3).weight
            assert torch.nn.init.normal_(weight) is weight
            raise RuntimeError("while loading")
    assert dict(vars(torch.nn.init)) == before
    torch.manual_seed(0)
    assert torch.nn.init.normal_(torch.zeros(1000)).std() > 0.5  # drawing again


def test_a_save_dir_lacking_a_weight_is_refused_by_name(tmp_path):
    import shutil

    broken = tmp_path / "org_ner"
    shutil.copytree(SHIPPED, broken)
    saved = torch.load(broken / "model.pt", map_location="cpu", weights_only=True)
    del saved["crf.transitions"]
    torch.save(saved, broken / "model.pt")
    with pytest.raises(ValueError, match=r"model\.pt lacks weights .*crf\.transitions"):
        CRFFixedNamedEntityRecognizer().load(str(broken), devices=-1)


# --------------------------------------------------------------------------- tiny model + pretrained route
TINY = [("华为公司在北京成立。", ["B-NT", "I-NT", "I-NT", "I-NT", "O", "B-NS", "I-NS", "O", "O", "O"]),
        ("张三访问清华大学。", ["B-NR", "I-NR", "O", "O", "B-NT", "I-NT", "I-NT", "I-NT", "O"]),
        ("今天天气很好。", ["O"] * 7)]


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory) -> Path:
    """A HanLP RNN NER using HanLP-pretrained-style labels (NT/NS/NR), memorised in seconds."""
    from hanlp.utils.torch_util import set_seed

    set_seed(1)
    out = tmp_path_factory.mktemp("tiny") / "tiny_ner"
    data = [{"token": list(c), "tag": t} for c, t in TINY] * 20
    rec = CRFFixedNamedEntityRecognizer()
    rec.fit(data, data[:3], str(out), batch_size=8, epochs=8, embed=16, rnn_hidden=16, drop=0.0,
            lr=0.05, patience=8, crf=True, tagging_scheme="BIO", token_delimiter="", seed=1,
            devices=[], anneal_factor=0, anneal_patience=0, verbose=False)
    return out


def test_crf_fix_applied(tiny_dir):
    m = OrgModel.load(str(tiny_dir))
    assert m.component.model.crf.batch_first is True


def test_tiny_model_local_route_maps_labels(tiny_dir):
    m = OrgModel.load(str(tiny_dir))  # no newsie config -> PRETRAINED_LABEL_MAP
    text = "张三访问清华大学。华为公司在北京成立。"
    assert m.predict([text]) == [[(4, 8, "ORG"), (9, 13, "ORG")]]
    everything = m.predict([text], labels=("ORG", "LOC", "PER"))[0]
    assert (0, 2, "PER") in everything and (14, 16, "LOC") in everything
    # the generic (non-fast) route through HanLP's own predict() agrees (on the component as
    # loaded: OrgModel drops the trained LSTM its fast route does not run)
    m.component, m._fast = OrgModel._load_component(str(tiny_dir)), False
    assert m.predict([text]) == [[(4, 8, "ORG"), (9, 13, "ORG")]]


def test_tiny_model_via_hanlp_home(tiny_dir, tmp_path, monkeypatch):
    """A pretrained identifier/URL resolves under HANLP_HOME; a cached copy is used offline."""
    import shutil

    from hanlp.utils.io_util import path_from_url, split_if_compressed

    home = tmp_path / "hanlp_home"
    monkeypatch.setenv("HANLP_HOME", str(home))
    url = "https://example.invalid/models/tiny_ner_20240101.zip"
    cached, _ = split_if_compressed(path_from_url(url, str(home)))
    shutil.copytree(tiny_dir, cached)
    m = OrgModel.load(url)
    assert m.predict(["张三访问清华大学。"]) == [[(4, 8, "ORG")]]
    # not cached -> would download -> refused by the fixture, proving the route goes to hanlp
    with pytest.raises(AssertionError, match="network download attempted"):
        OrgModel.load("https://example.invalid/models/other_model.zip")


def train_tiny_org_model(out: Path, seed: int, lexicon: bool) -> Path:
    """A tiny ORG-only model of the TINY data, trained through the same sample builder as
    ours, with or without the lexicon feature."""
    from hanlp.utils.torch_util import set_seed

    from pipeline.text.lexicon import LexiconFeaturizer

    set_seed(seed)
    sents = [(list(c), ["O" if t == "O" else t[:2] + "ORG" if t.endswith("NT") else "O" for t in tags])
             for c, tags in TINY]
    data = training._prepare(sents, LexiconFeaturizer() if lexicon else None) * 20
    assert all(("lex_id" in s) == lexicon and len(s.get("lex_id", s["token"])) == len(s["token"]) for s in data)
    CRFFixedNamedEntityRecognizer().fit(
        data, data[:3], str(out), batch_size=8, epochs=8, embed=16, rnn_hidden=16, drop=0.0,
        lr=0.05, patience=8, crf=True, tagging_scheme="BIO", token_delimiter="", seed=seed,
        devices=[], anneal_factor=0, anneal_patience=0, verbose=False, lexicon_dim=4 if lexicon else 0,
        newsie_normalization=org_data.NORMALIZATION_ID, newsie_labels=["ORG"])
    return out


@pytest.fixture(scope="module")
def tiny_lexicon_dir(tmp_path_factory) -> Path:
    return train_tiny_org_model(tmp_path_factory.mktemp("tiny_lex") / "tiny_lex_ner", seed=1, lexicon=True)


def test_lexicon_model_uses_given_words_or_segments_itself(tiny_lexicon_dir):
    m = OrgModel.load(str(tiny_lexicon_dir))
    assert isinstance(m.component.model.embed, network.LexiconEmbedding)
    text = "张三访问清华大学。华为公司在北京成立。"
    words = m._lexicon.segmenter.cut(text)
    assert m.predict([text]) == m.predict([text], words=[words]) == [[(4, 8, "ORG"), (9, 13, "ORG")]]
    with pytest.raises(ValueError, match="do not join"):
        m.predict([text], words=[words[:-1]])


@pytest.fixture(scope="module")
def tiny_plain_org_dir(tmp_path_factory) -> Path:
    """The tiny lexicon model's data and tags, without the lexicon feature."""
    return train_tiny_org_model(tmp_path_factory.mktemp("tiny_plain") / "tiny_plain_ner", seed=3, lexicon=False)


def test_ensemble_members_may_read_different_features(tiny_lexicon_dir, tiny_plain_org_dir):
    """Each member reads the features it was trained with from one batch."""
    text = "张三访问清华大学。华为公司在北京成立。"
    lexicon = OrgModel.load(str(tiny_lexicon_dir), precision="fp32")
    plain = OrgModel.load(str(tiny_plain_org_dir), precision="fp32")
    both = OrgModel.load([tiny_plain_org_dir, tiny_lexicon_dir], precision="fp32")
    assert plain._lexicon is None and both._lexicon is not None
    ids = torch.tensor([[lexicon._tok2id.get(ch, lexicon._unk) for ch in text]])
    inputs = {"token_id": ids, "lex_id": torch.from_numpy(lexicon._lexicon.ids(text)).long().unsqueeze(0)}
    with torch.inference_mode():
        expected = (lexicon._emissions(inputs)[0] + plain._emissions(inputs)[0]) / 2
        assert torch.allclose(both._emissions(inputs)[0], expected, atol=1e-6)
    assert both.predict([text]) == [[(4, 8, "ORG"), (9, 13, "ORG")]]


STYLE_TEXT = "华为公司在北京成立。"


@pytest.fixture(scope="module")
def tiny_style_dir(tmp_path_factory) -> Path:
    """Two corpora that draw an ORG's edge differently (华为公司 / 华为), each sentence with
    its corpus as the style feature."""
    from hanlp.utils.torch_util import set_seed

    set_seed(2)
    full = ["B-ORG", "I-ORG", "I-ORG", "I-ORG"] + ["O"] * 6
    short = ["B-ORG", "I-ORG"] + ["O"] * 8
    other = ("张三访问清华大学。", ["O", "O", "O", "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "O"])
    sents = [(list(STYLE_TEXT), full), other, (list(STYLE_TEXT), short), other]
    data = training._prepare(sents, styles=["msra", "msra", "cluener", "cluener"]) * 20
    assert [s["style_id"][0] for s in data[:4]] == [1, 1, 2, 2]
    out = tmp_path_factory.mktemp("tiny_style") / "tiny_style_ner"
    CRFFixedNamedEntityRecognizer().fit(
        data, data[:4], str(out), batch_size=8, epochs=10, embed=16, rnn_hidden=16, drop=0.0,
        lr=0.05, patience=10, crf=True, tagging_scheme="BIO", token_delimiter="", seed=2,
        devices=[], anneal_factor=0, anneal_patience=0, verbose=False, style_dim=4,
        newsie_normalization=org_data.NORMALIZATION_ID, newsie_labels=["ORG"],
        newsie_styles=list(org_data.STYLES))
    return out


def test_style_feature_follows_the_annotation_style_it_is_told(tiny_style_dir):
    """Told which corpus a sentence is from, one model learns both conventions and follows
    the one it is asked for."""
    m = OrgModel.load(str(tiny_style_dir), precision="fp32")
    assert m.reads_style and m.style == "msra"
    assert m.predict([STYLE_TEXT]) == m.predict([STYLE_TEXT], style="msra") == [[(0, 4, "ORG")]]
    assert m.predict([STYLE_TEXT], style="cluener") == [[(0, 2, "ORG")]]
    assert OrgModel.load(str(tiny_style_dir), style="cluener").predict([STYLE_TEXT]) == [[(0, 2, "ORG")]]
    with pytest.raises(ValueError, match="unknown annotation style 'people'"):
        OrgModel.load(str(tiny_style_dir), style="people")
    with pytest.raises(ValueError, match="unknown annotation style"):
        training._prepare([(list(STYLE_TEXT), ["O"] * 10)], styles=["people"])
    plain = OrgModel.load("models/org_ner_small")
    assert not plain.reads_style and plain.predict([STYLE_TEXT], style="cluener") == plain.predict([STYLE_TEXT])


def test_style_reaches_the_model_from_the_pipeline_config_and_the_eval_command(tiny_style_dir, tmp_path, capsys):
    from pipeline.cli import main
    from pipeline.stages.recognize import Recognizer

    recognizer = Recognizer("newsie_recognize", str(tiny_style_dir), use_org_rules=False, propagate_names=False,
                            org_style="cluener")
    assert recognizer.org_model.style == "cluener"
    gold = tmp_path / "gold.bio"
    gold.write_text("".join(f"{ch}\t{tag}\n" for ch, tag in zip(STYLE_TEXT, ["B-ORG", "I-ORG"] + ["O"] * 8)),
                    encoding="utf-8")
    for style, tp in (("cluener", 1), ("msra", 0)):
        assert main(["eval", "--format", "bio", "--gold", str(gold), "--model", str(tiny_style_dir),
                     "--style", style, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["schemes"]["strict"]["ORG"]["correct"] == tp


def write_bio(path: Path, sentences: list[tuple[str, list[str]]]) -> Path:
    """A char<TAB>tag file of ``(text, tags)`` sentences."""
    path.write_text("".join("".join(f"{ch}\t{tag}\n" for ch, tag in zip(text, tags)) + "\n" for text, tags in sentences),
                    encoding="utf-8")
    return path


def test_training_data_keeps_each_sentence_style(tmp_path):
    msra = write_bio(tmp_path / "train.bio", [("今天天气很好", ["O"] * 6), ("华为成立", ["B-ORG", "I-ORG", "O", "O"])])
    cluener = tmp_path / "train.json"
    cluener.write_text('{"text": "腾讯公司", "label": {"company": {"腾讯公司": [[0, 3]]}}}\n', encoding="utf-8")
    config = {"paths": {"msra_train": str(msra), "cluener_train": str(cluener)},
              "labels": {"keep": ["ORG"]}, "training": {"seed": 1, "dev_fraction": 0.34}}
    data = training.load_training_data(config)
    assert len(data.train) == 2 and len(data.dev) == 1
    for sentences, styles in ((data.train, data.train_styles), (data.dev, data.dev_styles)):
        for (chars, _), style in zip(sentences, styles):
            assert style == ("cluener" if "".join(chars) == "腾讯公司" else "msra")


def test_extra_training_data_joins_the_training_part_only(tmp_path):
    msra = write_bio(tmp_path / "train.bio", [("今天天气很好", ["O"] * 6), ("华为成立", ["B-ORG", "I-ORG", "O", "O"])])
    silver = write_bio(tmp_path / "silver.bio", [("海达涨停", ["B-ORG", "I-ORG", "O", "O"])])
    config = {"paths": {"msra_train": str(msra), "extra_train": [str(silver)]}, "labels": {"keep": ["ORG"]},
              "training": {"seed": 1, "dev_fraction": 0.5, "extra_repeat": 3, "extra_style": "cluener"}}
    data = training.load_training_data(config)
    without = training.load_training_data({**config, "paths": {"msra_train": str(msra)}})
    assert data.dev == without.dev  # the dev split does not move
    assert len(data.train) == len(without.train) + 3
    assert data.train[-1] == (list("海达涨停"), ["B-ORG", "I-ORG", "O", "O"]) and data.train_styles[-1] == "cluener"


def test_a_model_can_take_another_models_vocabularies(tmp_path, tiny_plain_org_dir):
    from hanlp.utils.torch_util import set_seed

    set_seed(5)
    # a character the other model never saw: with its vocabularies it is unknown, not new
    sents = [(list("华为公司在鑫城成立"), ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "O", "O", "O", "O"])]
    data = training._prepare(sents) * 8
    out = tmp_path / "borrowed"
    CRFFixedNamedEntityRecognizer().fit(
        data, data[:2], str(out), batch_size=4, epochs=1, embed=16, rnn_hidden=16, drop=0.0, lr=0.05,
        patience=1, crf=True, tagging_scheme="BIO", token_delimiter="", seed=5, devices=[],
        anneal_factor=0, anneal_patience=0, verbose=False, vocab_from=str(tiny_plain_org_dir),
        newsie_normalization=org_data.NORMALIZATION_ID, newsie_labels=["ORG"])
    borrowed, original = OrgModel.load(str(out)), OrgModel.load(str(tiny_plain_org_dir))
    assert borrowed.component.vocabs["token"].token_to_idx == original.component.vocabs["token"].token_to_idx
    assert "鑫" not in borrowed.component.vocabs["token"].token_to_idx
    OrgModel.load([str(tiny_plain_org_dir), str(out)])  # so they can tag as one ensemble


def test_spans_of_tag_ids_agrees_with_bio_to_spans():
    import random

    id2tag = ["B-ORG", "I-ORG", "O", "B-PER", "I-PER", "E-ORG"]
    rng = random.Random(0)
    lengths = [rng.randint(0, 12) for _ in range(300)]
    tags = torch.tensor([[rng.choice([0, 1, 2, 2, 2, 3, 4, 5]) for _ in range(12)] for _ in lengths])
    expected = [bio_to_spans([id2tag[t] for t in row[:n]]) for row, n in zip(tags.tolist(), lengths)]
    assert decoding.spans_of_tag_ids(tags, lengths, id2tag) == expected


@pytest.mark.parametrize("text", ["a\u2028b", "甲\u205f乙", "x\u3000y z", "无空白"])
def test_normalize_chars_maps_every_space(text):
    out = org_data.normalize_chars(text)
    assert len(out) == len(text) and not any(c.isspace() for c in out)


# --------------------------------------------------------------------------- fast encoder
@pytest.mark.parametrize("num_layers", [1, 2])
def test_padded_bilstm_equals_the_packed_module(num_layers):
    """The inference twin gives the trained module's outputs on mixed-length batches."""
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    torch.manual_seed(0)
    lstm = torch.nn.LSTM(8, 5, num_layers=num_layers, batch_first=True, bidirectional=True).eval()
    lengths = torch.tensor([9, 7, 7, 3, 1])
    x = torch.randn(len(lengths), 9, 8)
    with torch.no_grad():
        packed, _ = lstm(pack_padded_sequence(x, lengths, batch_first=True))
        expected, _ = pad_packed_sequence(packed, batch_first=True)
        got = network.PaddedBiLSTM(lstm)(x, lengths)
        half = network.PaddedBiLSTM(lstm, torch.bfloat16)(x, lengths)
    valid = torch.arange(9).unsqueeze(0) < lengths.unsqueeze(1)
    assert got.shape == expected.shape == (5, 9, 10)
    assert torch.allclose(got[valid], expected[valid], atol=1e-5)
    # bf16 keeps about 3 significant digits; LSTM outputs lie in (-1, 1)
    assert (half[valid] - expected[valid]).abs().max() < 0.05


def test_embedding_parts_join_to_the_nested_embeddings():
    """OrgModel concatenates the parts once; a wrapper's output is its inner one's and its own."""
    torch.manual_seed(0)
    hashed = network.HashedBigramEmbedding(torch.nn.Embedding(50, 6), 97, 4)
    embed = network.StyleEmbedding(network.LexiconEmbedding(hashed, 3), 2)
    ids = torch.randint(1, 50, (3, 7))
    ids[1, 4:] = 0
    batch = {"token_id": ids, "lex_id": torch.randint(1, 10, (3, 7)), "style_id": torch.ones_like(ids)}
    left = torch.cat([torch.zeros_like(ids[:, :1]), ids[:, :-1]], 1)
    right = torch.cat([ids[:, 1:], torch.zeros_like(ids[:, :1])], 1)
    bigrams = torch.cat([hashed.char(ids), hashed.bigram((left * 1000003 + ids) % 97),
                         hashed.bigram((ids * 1000003 + right) % 97)], -1)
    nested = torch.cat([torch.cat([bigrams, embed.inner.lexicon(batch["lex_id"])], -1), embed.style(batch["style_id"])], -1)
    assert torch.equal(torch.cat(network.embedding_parts(embed, batch), -1), nested)
    assert torch.equal(embed(batch), nested)


@pytest.mark.parametrize("precision, dtype", [("fp32", torch.float32), ("bf16", torch.bfloat16)])
def test_resolve_precision(precision, dtype):
    assert network.resolve_precision(precision) == dtype
    assert network.resolve_precision("auto") in (torch.float32, torch.bfloat16)


def test_resolve_precision_rejects_unknown_names():
    with pytest.raises(ValueError, match="precision"):
        network.resolve_precision("fp16")


def test_shipped_model_same_spans_in_both_precisions(shipped):
    """bf16 is an inference speed-up, not a different model: on news text it finds the same
    names as fp32 (on MSRA test 1 sentence of 3,442 differs, docs/ner.md)."""
    texts = ["华为技术有限公司与上海交通大学签署合作协议。",
             "上海市经济和信息化委员会、金山区人民政府与中国石化上海石油化工股份有限公司签约。"]
    fp32 = OrgModel.load(str(SHIPPED), precision="fp32")
    bf16 = OrgModel.load(str(SHIPPED), precision="bf16")
    assert fp32.predict(texts) == bf16.predict(texts)


@pytest.mark.parametrize("text", ["华为技术有限公司", "ＡＢＣ１２３，。", "a\u3000b\u2028c\td\u00a0e", "lone \ud800 surrogate",
                                  "emoji 😀 and 𠀀"])
def test_char_id_table_equals_normalize_then_lookup(text):
    tok2id = {ch: i + 2 for i, ch in enumerate("华为技术有限公司ABC123,。abcde")}
    table = org_data.char_id_table(tok2id, 1, normalize=True)
    expected = [tok2id.get(ch, 1) for ch in org_data.normalize_chars(text)]
    assert table[org_data.code_points(text)].tolist() == expected
    raw = org_data.char_id_table(tok2id, 1, normalize=False)
    assert raw[org_data.code_points(text)].tolist() == [tok2id.get(ch, 1) for ch in text]


def test_whitespace_codes_are_what_isspace_says():
    assert list(org_data.WHITESPACE_CODES) == [c for c in range(0x110000) if chr(c).isspace()]


def test_char_id_table_is_made_once_per_vocabulary():
    tok2id = {"华": 2, "为": 3}
    first = org_data.char_id_table(tok2id, 1, normalize=True)
    assert org_data.char_id_table(dict(tok2id), 1, normalize=True) is first
    assert org_data.char_id_table(tok2id, 1, normalize=False) is not first
    assert not first.flags.writeable  # shared: nobody may change it


def test_spans_of_tag_ids_keeps_only_the_asked_tags():
    import random

    id2tag = ["O", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
    rng = random.Random(1)
    lengths = [rng.randint(0, 10) for _ in range(300)]
    tags = torch.tensor([[rng.randrange(5) for _ in range(10)] for _ in lengths])
    expected = [[s for s in bio_to_spans([id2tag[t] for t in row[:n]]) if s[2] == "ORG"]
                for row, n in zip(tags.tolist(), lengths)]
    assert decoding.spans_of_tag_ids(tags, lengths, id2tag, kept_tags=[1, 2]) == expected


# --------------------------------------------------------------------------- ensembles
@pytest.fixture(scope="module")
def tiny_second_dir(tmp_path_factory) -> Path:
    """Another tagger of the tiny data: other seed, two smaller layers (``rnn_layers``)."""
    from hanlp.utils.torch_util import set_seed

    set_seed(2)
    out = tmp_path_factory.mktemp("tiny2") / "tiny_ner_2"
    data = [{"token": list(c), "tag": t} for c, t in TINY] * 20
    CRFFixedNamedEntityRecognizer().fit(
        data, data[:3], str(out), batch_size=8, epochs=8, embed=16, rnn_hidden=8, rnn_layers=2, drop=0.0,
        lr=0.05, patience=8, crf=True, tagging_scheme="BIO", token_delimiter="", seed=2,
        devices=[], anneal_factor=0, anneal_patience=0, verbose=False)
    return out


def test_ensemble_of_one_model_with_itself_is_the_model(tiny_dir):
    text = "张三访问清华大学。华为公司在北京成立。"
    alone = OrgModel.load(str(tiny_dir), precision="fp32")
    twice = OrgModel.load([tiny_dir, tiny_dir], precision="fp32")
    assert twice.predict([text], labels=("ORG", "LOC", "PER")) == alone.predict([text], labels=("ORG", "LOC", "PER"))


def test_ensemble_averages_the_members_scores(tiny_dir, tiny_second_dir):
    first = OrgModel.load(tiny_dir, precision="fp32")
    second = OrgModel.load(tiny_second_dir, precision="fp32")
    assert len(second._encoders[0].layers) == 2
    both = OrgModel.load([tiny_dir, tiny_second_dir], precision="fp32")
    ids = torch.tensor([[first._tok2id.get(ch, first._unk) for ch in "张三访问清华大学。"]])
    inputs = {"token_id": ids, "lex_id": None}
    with torch.inference_mode():
        expected = (first._emissions(inputs)[0] + second._emissions(inputs)[0]) / 2
        assert torch.allclose(both._emissions(inputs)[0], expected, atol=1e-6)
    for mine, a, b in zip(both._transitions, first._transitions, second._transitions):
        assert torch.allclose(mine, (a + b) / 2)
    assert both.predict(["张三访问清华大学。"]) == [[(4, 8, "ORG")]]


def test_ensemble_members_must_share_vocabularies(tiny_dir, tiny_lexicon_dir):
    with pytest.raises(ValueError, match="differ in their"):
        OrgModel.load([tiny_dir, tiny_lexicon_dir])
    with pytest.raises(ValueError, match="empty"):
        OrgModel.load([])


def test_store_half_precision_halves_the_file_and_loads_as_float32(tiny_dir, tmp_path):
    import shutil

    half = tmp_path / "half"
    shutil.copytree(tiny_dir, half)
    training.store_half_precision(half)
    assert (half / "model.pt").stat().st_size < 0.75 * (tiny_dir / "model.pt").stat().st_size
    m = OrgModel.load(half, precision="fp32")
    assert all(p.dtype == torch.float32 for p in m.component.model.parameters())
    text = "张三访问清华大学。华为公司在北京成立。"
    assert m.predict([text]) == OrgModel.load(tiny_dir, precision="fp32").predict([text])


def test_training_config_overrides():
    config = training.load_config(ROOT / "configs" / "ner.cfg", {"training.seed": 42, "model.rnn_layers": 1})
    assert config["training"]["seed"] == 42 and config["model"]["rnn_layers"] == 1
    assert config["training"]["split_seed"] == 233  # the dev split stays put
    with pytest.raises(ValueError, match="no setting 'training.sed'"):
        training.load_config(ROOT / "configs" / "ner.cfg", {"training.sed": 42})


@pytest.mark.parametrize("members", [1, 2])
def test_batches_take_few_shapes(members, monkeypatch):
    """Widths in steps of SHAPE_STEP and bucketed row counts, whatever the chunk lengths, also for
    the chunks an ensemble's screen passes on: oneDNN keeps a kernel per shape, so unbounded
    shapes made memory grow over a long run."""
    # settle_threshold 0: the shipped model is sure of these chunks, and would settle them alone
    model = OrgModel.load([str(SHIPPED)] * members if members > 1 else str(SHIPPED), settle_threshold=0)
    shapes = []
    emissions = OrgModel._member_emissions

    def recording(self, k, inputs, mask, lengths):
        shapes.append((k, *inputs["token_id"].shape))
        return emissions(self, k, inputs, mask, lengths)

    monkeypatch.setattr(OrgModel, "_member_emissions", recording)
    texts = ["华为技术有限公司与上海交通大学签署合作协议。" * n for n in range(1, 8)] + ["今天天气很好。" * 9, "中国人民银行。"]
    found = model.predict(texts)
    assert shapes and all(width % tagger.SHAPE_STEP == 0 and rows == tagger.bucket_rows(rows)
                          for _, rows, width in shapes)
    assert all((0, 8, "ORG") in spans for spans in found[:7])
    if members > 1:  # the screen passed some chunks on, not all (今天天气很好 names nobody)
        rows_of = [sum(rows for k, rows, _ in shapes if k == member) for member in (0, 1)]
        assert 0 < rows_of[1] < rows_of[0]


@pytest.mark.parametrize("count, rows", [(1, 1), (2, 2), (3, 3), (4, 4), (5, 6), (6, 6), (7, 8), (9, 12),
                                         (13, 16), (17, 24), (25, 32), (200, 256), (193, 256), (192, 192)])
def test_bucket_rows(count, rows):
    assert tagger.bucket_rows(count) == rows


@pytest.mark.parametrize("limit, rows", [(0, 1), (1, 1), (2, 2), (3, 3), (5, 4), (7, 6), (11, 8), (12, 12),
                                         (23, 16), (26, 24), (31, 24), (32, 32), (47, 32), (48, 48), (255, 192)])
def test_bucket_rows_within(limit, rows):
    """The most rows a full LSTM batch takes: a bucket size, so it needs no padding rows."""
    assert tagger.bucket_rows_within(limit) == rows
    assert tagger.bucket_rows(rows) == rows


def test_spans_do_not_depend_on_batching():
    """Small LSTM batches (widths from 8 to 150 characters) decoded in groups give each text
    the spans it gets alone: padding and grouping change no result (fp32, so no rounding of
    bf16 kernels that differ by batch shape)."""
    model = OrgModel.load(str(SHIPPED), precision="fp32", batch_chars=256)
    sentences = ["华为技术有限公司与上海交通大学签署合作协议。", "中国人民银行。", "国务院总理在上海考察。",
                 "上海市经济和信息化委员会、金山区人民政府与中国石化上海石油化工股份有限公司签约，" * 3 + "。"]
    texts = ["".join(sentences[(i + j) % len(sentences)] for j in range(i % 4 + 1)) for i in range(12)]
    assert model.predict(texts) == [model.predict([text])[0] for text in texts]
    assert any(spans for spans in model.predict(texts))


def test_distillation_adds_the_teachers_divergence_to_the_loss(tiny_dir, tmp_path):
    """A student trained with a teacher: same data and vocabularies, a loss with a KL term."""
    from hanlp.utils.torch_util import set_seed

    set_seed(4)
    data = [{"token": list(c), "tag": t} for c, t in TINY] * 20
    student = CRFFixedNamedEntityRecognizer()
    student.teacher = OrgModel.load(tiny_dir, precision="fp32")
    losses = []
    plain_loss = CRFFixedNamedEntityRecognizer.compute_loss

    def recorded(self, criterion, out, y, mask):
        loss = plain_loss(self, criterion, out, y, mask)
        if self.model.training:
            self.teacher, teacher = None, self.teacher
            losses.append((loss.item(), plain_loss(self, criterion, out, y, mask).item()))
            self.teacher = teacher
        return loss

    student.compute_loss = recorded.__get__(student)
    student.fit(data, data[:3], str(tmp_path / "student"), batch_size=8, epochs=2, embed=16, rnn_hidden=8,
                drop=0.0, lr=0.05, patience=8, crf=True, tagging_scheme="BIO", token_delimiter="", seed=4,
                devices=[], anneal_factor=0, anneal_patience=0, verbose=False)
    assert losses and all(with_teacher > without for with_teacher, without in losses)


def test_distillation_refuses_a_teacher_with_other_vocabularies(tiny_lexicon_dir, tmp_path):
    data = [{"token": list(c), "tag": t} for c, t in TINY] * 4  # PER/LOC/ORG tags: not the teacher's
    student = CRFFixedNamedEntityRecognizer()
    student.teacher = OrgModel.load(tiny_lexicon_dir)
    with pytest.raises(ValueError, match="differ in their"):
        student.fit(data, data[:3], str(tmp_path / "student"), batch_size=8, epochs=1, embed=16, rnn_hidden=8,
                    drop=0.0, lr=0.05, patience=8, crf=True, tagging_scheme="BIO", token_delimiter="", seed=4,
                    devices=[], anneal_factor=0, anneal_patience=0, verbose=False)


# --------------------------------------------------------------------------- the ensemble's screen
@pytest.mark.parametrize("lengths, scale", [([4], 1.0), ([4, 1, 3], 2.0), ([2, 4, 4, 1], 40.0)])
def test_crf_marginals_equal_summing_over_every_tag_path(lengths, scale):
    import itertools

    torch.manual_seed(len(lengths))
    tags, width = 3, max(lengths)
    emissions = torch.randn(len(lengths), width, tags, dtype=torch.float64) * scale
    transitions, start, end = (torch.randn(tags, tags, dtype=torch.float64), torch.randn(tags, dtype=torch.float64),
                               torch.randn(tags, dtype=torch.float64))
    transitions[0, 2] = -1e4  # a forbidden transition, as BIO constraints are
    mask = torch.arange(width) < torch.tensor(lengths)[:, None]
    got = decoding.crf_marginals(emissions, mask, transitions, start, end)
    for row, n in enumerate(lengths):
        scores = {path: start[path[0]] + end[path[-1]] + sum(emissions[row, t, k] for t, k in enumerate(path))
                  + sum(transitions[a, b] for a, b in zip(path, path[1:]))
                  for path in itertools.product(range(tags), repeat=n)}
        top = max(scores.values())
        expected = torch.zeros(n, tags, dtype=torch.float64)
        for path, score in scores.items():
            for t, k in enumerate(path):
                expected[t, k] += (score - top).exp()
        expected /= expected.sum(1, keepdim=True)
        assert torch.allclose(got[row, :n], expected, atol=1e-9)


def test_ensemble_screen_sends_only_uncertain_chunks_to_the_other_members(tiny_dir, tiny_second_dir):
    texts = ["今天天气很好。张三访问清华大学。今天天气很好。", "今天天气很好。"]
    full = OrgModel.load([tiny_dir, tiny_second_dir], precision="fp32", screen_threshold=0, settle_threshold=0)
    screened = OrgModel.load([tiny_dir, tiny_second_dir], precision="fp32", screen_threshold=0.01,
                             settle_threshold=0)
    rows_tagged = []
    second_encoder = screened._encoders[1]
    encode = second_encoder.forward

    def spy(x, lengths):
        rows_tagged.append(int(lengths.gt(0).sum()))
        return encode(x, lengths)

    second_encoder.forward = spy
    assert screened.predict(texts) == full.predict(texts) == [[(11, 15, "ORG")], []]
    assert rows_tagged == [1]  # of the four chunks, the one with a name


@pytest.mark.parametrize("settle_threshold, rows_expected", [(0.0, [1]), (0.99, [])])
def test_ensemble_cascade_stops_at_the_members_that_settle_a_chunk(tiny_dir, tiny_second_dir, settle_threshold,
                                                                   rows_expected):
    texts = ["今天天气很好。张三访问清华大学。今天天气很好。", "今天天气很好。"]
    model = OrgModel.load([tiny_dir, tiny_second_dir], precision="fp32", screen_threshold=0.01,
                          settle_threshold=settle_threshold)
    rows_tagged = []
    encode = model._encoders[1].forward
    model._encoders[1].forward = lambda x, lengths: rows_tagged.append(int(lengths.gt(0).sum())) or encode(x, lengths)
    assert model.predict(texts) == [[(11, 15, "ORG")], []]
    # at 0.99 the first member's word is final wherever it is 1% sure
    assert rows_tagged == rows_expected


def test_ensemble_screen_at_zero_rules_out_no_chunk(tiny_dir, tiny_second_dir):
    model = OrgModel.load([tiny_dir, tiny_second_dir], precision="fp32", screen_threshold=0, settle_threshold=0.5)
    ids = torch.tensor([[model._tok2id.get(ch, model._unk) for ch in "今天天气很好。"]])
    with torch.inference_mode():
        ruled_out = model._emissions({"token_id": ids, "lex_id": None}, screen_tags=[1, 2])[2]
    assert ruled_out.tolist() == [False]


@pytest.mark.parametrize("marginals, length, settled", [
    ([[0.999, 0.0005, 0.0005]], 1, True),  # surely outside
    ([[0.0, 0.999, 0.001]], 1, True),  # surely the first character of a name
    ([[0.5, 0.25, 0.25]], 1, False),  # unsure
    ([[0.999, 0.001, 0.0], [0.6, 0.4, 0.0]], 2, False),  # one unsure character is enough
    ([[0.999, 0.001, 0.0], [0.6, 0.4, 0.0]], 1, True),  # ... unless it is padding
])
def test_settled_rows_are_sure_of_every_character(tiny_dir, tiny_second_dir, marginals, length, settled):
    model = OrgModel.load([tiny_dir, tiny_second_dir], settle_threshold=0.01)
    marginals = torch.tensor([marginals])  # one row; tags 1, 2 wanted, 0 the rest
    mask = torch.arange(marginals.shape[1]).unsqueeze(0) < length
    assert model._settled(marginals, mask, [1, 2]).tolist() == [settled]


@pytest.mark.parametrize("option", ["screen_threshold", "settle_threshold"])
def test_ensemble_thresholds_must_be_probabilities_below_one(tiny_dir, tiny_second_dir, option):
    with pytest.raises(ValueError, match=option):
        OrgModel.load([tiny_dir, tiny_second_dir], **{option: 1})


@pytest.mark.parametrize("option, default", [("screen_threshold", tagger.SCREEN_THRESHOLD),
                                             ("settle_threshold", tagger.SETTLE_THRESHOLD)])
def test_cascade_thresholds_reach_the_ensemble_from_the_pipeline_config(tiny_dir, tiny_second_dir, option, default):
    from pipeline.language import load_pipeline

    members = [str(tiny_dir), str(tiny_second_dir)]
    for setting, expected in ((None, default), (0.0, 0.0), (0.05, 0.05)):
        overrides = {"components.newsie_recognize.org_model": members, "components.newsie_recognize.org_news_model": None}
        if setting is not None:
            overrides[f"components.newsie_recognize.org_{option}"] = setting
        nlp = load_pipeline(str(ROOT / "configs" / "default.cfg"), overrides)
        assert getattr(nlp.get_pipe("newsie_recognize").org_model, option) == expected
