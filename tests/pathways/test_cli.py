"""`mips rulebook show --pathway` and `mips diff` with pathways, as a user runs them."""

from __future__ import annotations


def test_show_lists_the_years_pathways_and_shows_one(run_cli):
    code, out, err = run_cli("rulebook", "show", "2026", "--pathway", "app_plus")
    assert (code, err) == (0, "")
    assert out.startswith("Rulebook 2026, pathway app_plus: ")
    assert "  app_plus (shown): the APM Performance Pathway with the APP Plus quality measure set (APP Plus)" in out
    assert "params.app_quality.measure_set = [001, 112, 113, 134, 236, 321, 479, 484]  [confirmed]" in out


def test_diff_lists_pathway_changes_between_years(run_cli):
    code, out, err = run_cli("diff", "2024", "2025")
    assert (code, err) == (0, "")
    section = out.split("PATHWAY CHANGES", 1)[1]
    assert "  + pathway app_plus  (at rulebooks/2025/pathways.yaml:6; confirmed)" in section
    assert "  + mvp parameter params.mvp_improvement_activities.activity_points" in section
    assert "  ~ app parameter params.app_improvement_activities.credit_percent: status confirmed -> unconfirmed" in section


def test_diff_of_one_pathway_compares_its_rulebooks_in_full(run_cli):
    code, out, err = run_cli("diff", "2025", "2026", "--pathway", "app_plus")
    assert (code, err) == (0, "")
    assert out.startswith("Changes from rulebook 2025 (app_plus) to 2026 (app_plus)")
    assert ("  ~ params.app_quality.measure_set: value [001, 112, 134, 236, 321, 479] -> "
            "[001, 112, 113, 134, 236, 321, 479, 484]") in out


def test_diff_of_a_pathway_a_year_does_not_have_is_refused(run_cli):
    code, out, err = run_cli("diff", "2024", "2025", "--pathway", "app_plus")
    assert (code, out) == (1, "")
    assert err == "error: the 2024 rulebook has no pathway 'app_plus'; pathways: traditional, app, mvp\n"
