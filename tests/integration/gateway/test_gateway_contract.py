"""Contract: the real client against the simulator over real loopback HTTPS, scenario by scenario."""

from __future__ import annotations

import pytest
from gateway_helpers import ClientFactory, account, submission

from adapter.errors import AuthenticationError, GatewayRejected, TransportError
from adapter.ports import DocumentKind
from adapter.simulator import SimulatorServer, samples
from adapter.transport.cards import CardQuery, CardStatus
from adapter.transport.client import GatewayClient
from adapter.transport.config import GatewaySettings


@pytest.mark.parametrize("profile", ["4750", "3176"])
def test_claim_and_checkin_are_accepted_and_recorded(make_client: ClientFactory, sim: SimulatorServer,
                                                     key: samples.DemoKey, profile: str) -> None:
    client = make_client()
    checkin = client.submit(submission(samples.sign(samples.checkin("79001", "LK-1"), key),
                                       kind=DocumentKind.CHECKIN, profile=profile))
    claim = client.submit(submission(samples.sign(samples.claim("79001", "LK-1"), key), profile=profile))

    assert (checkin.code, claim.code) == ("200", "200")
    assert checkin.transaction_id != claim.transaction_id and len(claim.received_at) == 14
    assert [(a.kind, a.ma_lk, a.transaction_id) for a in sim.state.accepted] == [
        ("checkin", "LK-1", checkin.transaction_id), ("claim", "LK-1", claim.transaction_id)]
    assert sim.state.report()["tokens_issued"] == 1                     # cached across both calls


def test_staff_catalogue_is_accepted_when_signed(make_client: ClientFactory, sim: SimulatorServer,
                                                 key: samples.DemoKey) -> None:
    doc = samples.sign(samples.staff("79001"), key)
    reply = make_client().submit(submission(doc, kind=DocumentKind.STAFF, ma_lk=""))
    assert reply.code == "200" and sim.state.accepted[0].kind == "staff"


def test_duplicate_and_replacement(make_client: ClientFactory, sim: SimulatorServer,
                                   key: samples.DemoKey) -> None:
    client = make_client()
    doc = samples.sign(samples.claim("79001", "LK-1"), key)
    first, again = client.submit(submission(doc)), client.submit(submission(doc))
    fixed = client.submit(submission(samples.sign(samples.claim("79001", "LK-1", total="70000"), key)))

    assert (first.duplicate, again.duplicate, fixed.duplicate) == (False, True, False)
    assert sim.state.report()["replaced"] == 1


def test_two_facilities_use_their_own_accounts(make_client: ClientFactory, sim: SimulatorServer,
                                               key: samples.DemoKey, key_01001: samples.DemoKey) -> None:
    client = make_client()
    client.submit(submission(samples.sign(samples.claim("79001", "A"), key), ma_lk="A"))
    other = samples.sign(samples.claim("01001", "B"), key_01001)
    client.submit(submission(other, ma_cskcb="01001", ma_lk="B"))

    assert [(a.ma_cskcb, a.ma_lk) for a in sim.state.accepted] == [("79001", "A"), ("01001", "B")]
    assert sim.state.report()["tokens_issued"] == 2


@pytest.mark.parametrize(("make_doc", "code"), [
    (lambda k, o: samples.claim("79001", "LK-1"), "124"),                                 # unsigned
    (lambda k, o: samples.sign(samples.claim("79001", "LK-1"), o), "125"),               # not registered
    (lambda k, o: samples.sign(samples.claim("01001", "LK-1"), k), "123"),               # other facility
    (lambda k, o: samples.sign(samples.checkin("79001", "LK-1"), k), "123"),             # wrong endpoint
    (lambda k, o: b"<GIAMDINHHS><unclosed></GIAMDINHHS>", "204"),
])
def test_data_errors_raise_gateway_rejected_with_the_code(make_client: ClientFactory, sim: SimulatorServer,
                                                          key: samples.DemoKey, key_01001: samples.DemoKey,
                                                          make_doc: object, code: str) -> None:
    doc = make_doc(key, key_01001)  # type: ignore[operator]
    with pytest.raises(GatewayRejected) as caught:
        make_client().submit(submission(doc))
    assert caught.value.code == code
    assert sim.state.accepted == []


def test_account_of_another_facility_is_refused(make_client: ClientFactory, key: samples.DemoKey) -> None:
    wrong = account("79001", username="01001_BV", password="pw-01001")
    with pytest.raises(GatewayRejected) as caught:
        make_client([wrong]).submit(submission(samples.sign(samples.claim("79001", "LK-1"), key)))
    assert caught.value.code == "403"


def test_wrong_password_is_an_authentication_error(make_client: ClientFactory, key: samples.DemoKey) -> None:
    with pytest.raises(AuthenticationError):
        make_client([account("79001", password="wrong")]).submit(
            submission(samples.sign(samples.claim("79001", "LK-1"), key)))


def test_expired_token_is_refreshed_transparently(make_client: ClientFactory, sim: SimulatorServer,
                                                  key: samples.DemoKey) -> None:
    client = make_client()
    doc = samples.sign(samples.claim("79001", "LK-1"), key)
    client.submit(submission(doc))
    sim.state.expire_tokens()

    assert client.submit(submission(doc)).code == "200"
    assert sim.state.report()["tokens_issued"] == 2


def test_tls_is_verified_by_default(sim: SimulatorServer, key: samples.DemoKey) -> None:
    with GatewayClient(GatewaySettings(), [account()], base_url=sim.base_url) as client, \
            pytest.raises(TransportError):
        client.submit(submission(samples.sign(samples.claim("79001", "LK-1"), key)))
    assert sim.state.received == []


def test_ca_bundle_from_settings(sim: SimulatorServer, key: samples.DemoKey) -> None:
    settings = GatewaySettings(base_url=sim.base_url, ca_bundle=sim.ca_pem_path)
    with GatewayClient.from_settings(settings, [account()]) as client:
        assert client.submit(submission(samples.sign(samples.claim("79001", "LK-1"), key))).code == "200"


@pytest.mark.parametrize(("query", "status"), [
    (CardQuery(ma_the="DN4797900123456", ho_ten="Nguyễn Văn An", ngay_sinh="05/03/1990",
               ho_ten_cb="Võ Thị Tiếp Đón", cccd_cb="079085000001"), CardStatus.VALID),
    (CardQuery(ma_the="HT2797900765432", ho_ten="Trần Thị Bình", ngay_sinh="12/11/1955",
               ho_ten_cb="Võ Thị Tiếp Đón", cccd_cb="079085000001"), CardStatus.INVALID),
    (CardQuery(ma_the="DN4797900123456", ho_ten="Nguyễn Văn An", ngay_sinh="01/01/2000",
               ho_ten_cb="Võ Thị Tiếp Đón", cccd_cb="079085000001"), CardStatus.MISMATCH),
    (CardQuery(ma_the="DN4797900123456", ho_ten="Nguyễn Văn An", ngay_sinh="05/03/1990",
               ho_ten_cb="Ai Đó", cccd_cb="079000000000"), CardStatus.OFFICER),
])
def test_card_lookup(make_client: ClientFactory, query: CardQuery, status: CardStatus) -> None:
    result = make_client().lookup_card("79001", query)
    assert result.code.status is status
    if status is CardStatus.VALID:
        assert (result.ma_the, result.gt_the_den) == ("DN4797900123456", "31/12/2026")
