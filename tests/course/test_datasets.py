"""datasets/ is exactly what the generators make, readable by Excel and by crmlib, and documented."""

import re
import subprocess
import sys

import pandas as pd
import pytest

from support import ROOT

import crmlib as crm
from crmlib.course.datasets import write_all, write_csv
from crmlib.course.errors import CRMError
from crmlib.generators import all_datasets

DATASETS = ROOT / "datasets"
REGISTRY = all_datasets()
NAMES = sorted(REGISTRY)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


_FRAMES = {}


def made(name):
    """What the generator makes for `name` (made once per test session)."""
    if name not in _FRAMES:
        _FRAMES[name] = REGISTRY[name].make()
    return _FRAMES[name].copy()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    target = tmp_path_factory.mktemp("datasets")
    for name in NAMES:
        write_csv(made(name), target / f"{name}.csv")
    return target


def test_course_has_datasets():
    assert NAMES, "crmlib.generators 里还没有登记任何数据集（DATASETS 为空）"
    bad = [n for n in NAMES if not re.fullmatch(r"p\d\d_[a-z0-9_]+", n)]
    assert not bad, f"数据集名应为 ASCII 的 pNN_名称：{bad}"


def test_datasets_folder_holds_exactly_the_generated_files():
    made = {f"{name}.csv" for name in NAMES}
    present = {p.name for p in DATASETS.glob("*.csv")}
    assert present == made, (
        f"datasets/ 与生成结果的文件不一致（请运行 python course.py data）："
        f"缺少 {sorted(made - present)}，多余 {sorted(present - made)}"
    )


@pytest.mark.parametrize("name", NAMES)
def test_csv_is_exactly_what_course_py_data_writes(name, tmp_path):
    """Byte for byte, one dataset per test so that the workers share the generating."""
    write_csv(made(name), tmp_path / f"{name}.csv")
    assert (DATASETS / f"{name}.csv").read_bytes() == (tmp_path / f"{name}.csv").read_bytes(), (
        f"datasets/{name}.csv 与生成器的结果不同（生成器改过但没有重新生成？运行 python course.py data）"
    )


@pytest.mark.full
def test_generation_is_repeatable(generated, tmp_path):
    write_all(tmp_path)
    differ = [p.name for p in sorted(generated.glob("*.csv")) if p.read_bytes() != (tmp_path / p.name).read_bytes()]
    assert not differ, f"两次生成的结果不同（make() 里要用固定种子，不能依赖当前时间）：{differ}"


@pytest.mark.parametrize("name", NAMES)
def test_csv_is_utf8_with_bom(name):
    path = DATASETS / f"{name}.csv"
    assert path.exists(), f"缺少 datasets/{name}.csv（运行 python course.py data）"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{name}.csv 要以 UTF-8 BOM 开头，中文版 Excel 才能正确打开"
    text = raw.decode("utf-8")  # raises if not UTF-8
    header = text.lstrip("\ufeff").splitlines()[0]
    assert CHINESE.search(header), f"{name}.csv 的列名应是中文：{header}"


@pytest.mark.parametrize("name", NAMES)
def test_load_dataset_equals_generated_frame(name):
    spec = REGISTRY[name]
    frame, loaded = made(name), crm.load_dataset(name)
    assert list(loaded.columns) == list(frame.columns), f"{name}: 列不同"
    kind = lambda s: (
        "date"
        if pd.api.types.is_datetime64_any_dtype(s)
        # noqa: E731
        else "number"
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
        else "other"
    )
    dtypes = {
        c: f"文件 {loaded[c].dtype} ≠ 生成 {frame[c].dtype}" for c in frame.columns if kind(loaded[c]) != kind(frame[c])
    }
    assert not dtypes, f"{name}: 读回后的列类型与生成器不同（日期列是否都写进了 dates=？）：{dtypes}"
    as_plain = lambda df: df.apply(
        lambda s: (
            s.astype("datetime64[ns]")
            if kind(s) == "date"
            # noqa: E731
            else s.astype("float64")
            if kind(s) == "number"
            else s.astype("object")
        )
    )
    pd.testing.assert_frame_equal(
        as_plain(loaded), as_plain(frame), check_exact=False, rtol=1e-9, obj=name, check_dtype=False
    )
    for col in spec.dates:
        assert pd.api.types.is_datetime64_any_dtype(loaded[col]), f"{name}: 日期列「{col}」读回后不是日期类型"


def test_data_cards_document_every_column():
    """Each project's data card datasets/pNN.md names every dataset and every column."""
    missing = {}
    for name in NAMES:
        card = DATASETS / f"{name.split('_')[0]}.md"
        text = card.read_text(encoding="utf-8") if card.exists() else ""
        if name not in text:
            missing[name] = "数据集名"
            continue
        header = (DATASETS / f"{name}.csv").read_text(encoding="utf-8-sig").splitlines()[0]  # = the generator's columns
        cols = [c for c in header.split(",") if c not in text]
        if cols:
            missing[name] = cols
    assert not missing, f"数据卡 datasets/pNN.md 没有说明这些数据集或列：{missing}"


# ---------------------------------------------------------------- read_csv on students' own files


def test_read_csv_reads_a_gbk_file(tmp_path):
    frame = pd.DataFrame(
        {"客户名称": ["华北商贸有限公司", "云岭茶业"], "城市": ["石家庄", "昆明"], "金额": [1200.5, 860.0]}
    )
    path = tmp_path / "客户.csv"
    frame.to_csv(path, index=False, encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    pd.testing.assert_frame_equal(crm.read_csv(path), frame)


def test_read_csv_reads_utf8_without_bom(tmp_path):
    frame = pd.DataFrame({"客户": ["甲", "乙"], "日期": ["2024-01-02", "2024-02-03"]})
    path = tmp_path / "a.csv"
    frame.to_csv(path, index=False, encoding="utf-8")
    got = crm.read_csv(path, dates=("日期",))
    assert list(got["客户"]) == ["甲", "乙"] and pd.api.types.is_datetime64_any_dtype(got["日期"])


def test_read_csv_missing_file_says_so_in_chinese(tmp_path):
    with pytest.raises(CRMError) as err:
        crm.read_csv(tmp_path / "不存在.csv")
    assert "找不到文件" in str(err.value) and "不存在.csv" in str(err.value), str(err.value)


def test_read_csv_undecodable_file_says_so_in_chinese(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\xff\xfe\x00\x81\x00" * 10)
    with pytest.raises(CRMError) as err:
        crm.read_csv(path)
    assert CHINESE.search(str(err.value)), str(err.value)


def test_load_dataset_unknown_name_is_a_chinese_error():
    with pytest.raises(CRMError) as err:
        crm.load_dataset("p99_不存在")
    assert "没有名为" in str(err.value)


def test_readme_is_the_generated_index():
    from crmlib.course.datasets import card_index

    assert (DATASETS / "README.md").read_text(encoding="utf-8") == card_index(), (
        "datasets/README.md 已过期：请运行 python course.py data"
    )


@pytest.mark.full
def test_loading_a_csv_runs_no_generator_code():
    """A notebook's first load_dataset reads the CSV only: no calendar or Faker work on import of a generator."""
    code = (
        "import sys, crmlib as crm\n"
        f"for name in {NAMES!r}: crm.load_dataset(name)\n"
        "print(sorted(m for m in ('holidays', 'faker') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
