from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from coreduce.report.figures.framework import framework_figure


def test_framework_has_every_box_and_arrow():
    fig = framework_figure("en")
    ax = fig.figure.axes[0]
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    # NQPF, three channels, the outcome, obstacles, the platform
    assert len(boxes) == 7
    # NQPF → each channel, each channel → outcome, obstacles → channels, platform → outcome
    assert len(arrows) == 8
    text = " ".join(t.get_text() for t in ax.texts)
    for label in ("Technological progress", "Industrial upgrading", "Energy revolution", "Obstacles"):
        assert label in text


def test_framework_data_lists_the_edges_in_the_chosen_language():
    data = framework_figure("zh").data
    assert list(data.columns) == ["from", "to", "relation"]
    assert len(data) == 8
    assert set(data.loc[data["relation"] == "drives", "to"]) == {"技术进步", "产业升级", "能源革命"}
