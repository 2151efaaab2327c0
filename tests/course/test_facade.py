"""The facade ``crmlib`` re-exports each section's names once: no collisions, nothing missing."""

import crmlib


def test_facade_sections_do_not_collide():
    seen = {}
    for section, names in crmlib.SECTIONS.items():
        for name in names:
            assert name not in seen, f"crm.{name} 同时出现在 {seen[name]} 和 {section} 两节：请改名"
            seen[name] = section


def test_every_listed_name_exists_and_every_public_name_is_listed():
    missing = [n for n in crmlib.__all__ if not hasattr(crmlib, n)]
    assert not missing, f"__all__ 里列了但没有导入：{missing}"
    import types

    public = {
        n
        for n, v in vars(crmlib).items()
        if not n.startswith("_")
        and not isinstance(v, types.ModuleType)
        and n not in {"SECTIONS", "COURSE", "QUIZ"}
        and not (n.startswith("P") and n[1:].isdigit())
    }
    unlisted = sorted(public - set(crmlib.__all__))
    assert not unlisted, f"这些名字导入了却没有列进任何一节的列表：{unlisted}"
