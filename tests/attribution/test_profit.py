"""Net profit = net sales x gross margin rate - ad spend - platform fees: the split by hand, the
zero case, and the property that the four rounded parts add up to the gap exactly."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from kpiguard.attribution.profit import ProfitSide, split_profit


def test_sales_margin_ads_and_fees_by_hand() -> None:
    # net sales 1000 -> 1200, gross profit 400 -> 420 (margin 0.40 -> 0.35), ad spend 100 -> 130,
    # fees 50 -> 55; net profit 250 -> 235, gap -15.
    # sales  = 200 x (0.40 + 0.35) / 2   =  75
    # margin = -0.05 x (1000 + 1200) / 2 = -55    (75 - 55 = 20 = 420 - 400)
    # ad spend -(130 - 100) = -30, fees -(55 - 50) = -5:  75 - 55 - 30 - 5 = -15
    split = split_profit(ProfitSide(D(1000), D(400), D(100), D(50)), ProfitSide(D(1200), D(420), D(130), D(55)))
    assert (split.gap, *split.parts().values()) == (D("-15.00"), D("75.00"), D("-55.00"), D("-30.00"), D("-5.00"))


def test_rounding_goes_to_sales_or_margin_never_to_ads_or_fees() -> None:
    # net sales 6000 -> 7370, gross profit 3000 -> 4020 (margin 1/2 -> 6/11), ads 200 -> 300,
    # fees 400 -> 500, net profit 2400 -> 3220 (gap 820):
    # sales  = 1370 x (1/2 + 6/11) / 2 = 1370 x 23/44 = 716.136...
    # margin = (6/11 - 1/2) x (6000 + 7370) / 2 = 6685 / 22 = 303.863...
    # floors 716.13 + 303.86 - 100 - 100 = 819.99: one cent to the larger remainder (sales, 0.636)
    split = split_profit(ProfitSide(D(6000), D(3000), D(200), D(400)), ProfitSide(D(7370), D(4020), D(300), D(500)))
    assert (split.gap, *split.parts().values()) == (D("820.00"), D("716.14"), D("303.86"), D("-100.00"),
                                                    D("-100.00"))


def test_the_engines_net_profit_anchors_the_gap() -> None:
    # components rounded one by one can miss the engine's own net profit by a cent: the gap is the
    # engine's figure (250.01 -> 235.00 = -15.01) and the cent goes to sales or margin, not to ads
    split = split_profit(ProfitSide(D(1000), D(400), D(100), D(50), D("250.01")),
                         ProfitSide(D(1200), D(420), D(130), D(55), D("235.00")))
    assert split.gap == D("-15.01") and (split.ad_spend, split.fees) == (D("-30.00"), D("-5.00"))
    assert split.sales + split.margin == D("19.99")


def test_no_net_sales_before_means_all_sales() -> None:
    # nothing sold in September, 1000 net sales at margin 0.4 in October: margin borrowed (0.4), so
    # the gross-profit change is sales: 1000 x 0.4 = 400
    split = split_profit(ProfitSide(D(0), D(0), D(0), D(0)), ProfitSide(D(1000), D(400), D(0), D(0)))
    assert (split.sales, split.margin) == (D("400.00"), D("0.00")) and split.note is None


def test_gross_profit_without_net_sales_is_a_margin_effect() -> None:
    # every sale refunded (net sales 0) but the goods cost 300: gross profit -300, margin undefined;
    # to 1000 net sales, 400 gross profit: the whole +700 is margin
    split = split_profit(ProfitSide(D(0), D(-300), D(0), D(0)), ProfitSide(D(1000), D(400), D(0), D(0)))
    assert (split.sales, split.margin, split.note) == (D("0.00"), D("700.00"), "undefined_margin")


signed_money = st.one_of(st.just(D(0)), st.decimals(min_value=D("-1E9"), max_value=D("1E9"), places=2))
costs = st.one_of(st.just(D(0)), st.decimals(min_value=D(0), max_value=D("1E8"), places=2))
sides = st.builds(ProfitSide, signed_money, signed_money, costs, costs,
                  st.one_of(st.none(), signed_money))  # with or without the engine's net profit


@settings(max_examples=400, deadline=None)
@given(sides, sides, st.sampled_from([D("0.01"), D(1), D("0.001")]))
def test_profit_parts_sum_exactly_to_the_gap(before: ProfitSide, after: ProfitSide, quantum: D) -> None:
    split = split_profit(before, after, quantum)
    assert split.gap == after.profit.quantize(quantum) - before.profit.quantize(quantum)
    assert split.sales + split.margin + split.ad_spend + split.fees == split.gap
    assert all(p == p.quantize(quantum) for p in split.parts().values())
    if (after.ad_spend - before.ad_spend) == (after.ad_spend - before.ad_spend).quantize(quantum):
        assert split.ad_spend == before.ad_spend - after.ad_spend  # exact changes are never bent
