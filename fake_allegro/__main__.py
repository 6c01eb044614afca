"""Serve the emulator: ``python -m fake_allegro --port 8001 [--data DIR] [--buyer-rate N]
[--site-url URL]``."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from types import FrameType

from werkzeug.serving import make_server

from fake_allegro.emulator import Emulator

log = logging.getLogger("fake_allegro")
BUYER_MESSAGE_RATE = 0.35  # share of simulated purchases followed by a buyer's message


def _buyers(emulator: Emulator, per_minute: float, stop: threading.Event) -> None:
    from fake_allegro.messaging.state import messaging_of, simulate_buyer_messages
    from fake_allegro.orders import buyers, returns

    interval = 60.0 / per_minute
    while not stop.wait(interval):
        with emulator.lock:
            world = emulator.world
            seller = emulator.demo_seller
            try:
                forms = buyers.simulate(
                    world,
                    seller.id,
                    1,
                    synthetic=world.sale is None,
                    cancel_rate=0.05,
                    unpaid_rate=0.05,
                )
            except (LookupError, ValueError) as exc:
                log.info("buyer found nothing to buy: %s", exc)
                continue
            # A share of sent orders come back; return parcels move on.
            returns.simulate_returns(world, seller.id, rate=0.05)
            buyers.buyer_feedback(world, seller.id, forms)
            # Every third purchase or so, a buyer writes to the seller about an order.
            if messaging_of(world).rng.random() < BUYER_MESSAGE_RATE:
                simulate_buyer_messages(world, seller.id, 1)
            emulator.mark_dirty()
        for form in forms:
            log.info("purchase %s (%s)", form.id, form.status)


def _saver(emulator: Emulator, stop: threading.Event) -> None:
    while not stop.wait(2.0):
        emulator.save_if_dirty()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m fake_allegro", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--data", help="directory to keep the emulator's state in")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--buyer-rate", type=float, default=0.0, help="purchases per minute")
    parser.add_argument("--token-ttl", type=int, default=43199)
    parser.add_argument(
        "--public-url",
        help="the URL clients reach the emulator at (default http://HOST:PORT); seeded images"
        " are served from it",
    )
    parser.add_argument(
        "--site-url",
        help="the shop the demo application sends sellers back to; its redirect URIs become"
        " SITE_URL/backend/allegro/callback/ (default: those of http://127.0.0.1:8000)",
    )
    parser.add_argument(
        "--no-user-agent-check",
        action="store_true",
        help="serve clients without Allegro's 'AppName/1.2.3 (+link)' User-Agent",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    emulator = Emulator(
        seed=args.seed,
        data_dir=args.data,
        token_ttl=args.token_ttl,
        require_user_agent=not args.no_user_agent_check,
        public_url=args.public_url or f"http://{args.host}:{args.port}",
        demo_site_url=args.site_url,
    )
    server = make_server(args.host, args.port, emulator.wsgi, threaded=True)
    stop = threading.Event()
    threads = [threading.Thread(target=_saver, args=(emulator, stop), daemon=True)]
    if args.buyer_rate > 0:
        threads.append(
            threading.Thread(target=_buyers, args=(emulator, args.buyer_rate, stop), daemon=True)
        )
    for thread in threads:
        thread.start()

    def shutdown(signum: int, frame: FrameType | None) -> None:
        stop.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    log.info(
        "Allegro emulator on http://%s:%d (client id %s)",
        args.host,
        args.port,
        emulator.demo_application.client_id,
    )
    try:
        server.serve_forever()
    finally:
        stop.set()
        emulator.save()
        log.info("state saved")


if __name__ == "__main__":
    main()
