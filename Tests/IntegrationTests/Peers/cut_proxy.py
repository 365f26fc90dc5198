"""A TCP proxy on 127.0.0.1 whose link can be cut: SIGUSR1 closes every connection and
refuses new ones; SIGUSR2 restores the link. Prints its port on the first line.

usage: cut_proxy.py TARGET_PORT
"""
import asyncio
import signal
import sys

target_port = int(sys.argv[1])
link_up = True
connections = set()


async def pipe(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def handle(client_reader, client_writer):
    if not link_up:
        client_writer.transport.abort()
        return
    try:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target_port)
    except OSError:
        client_writer.transport.abort()
        return
    pair = (client_writer, server_writer)
    connections.add(pair)
    try:
        await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))
    finally:
        connections.discard(pair)


def cut():
    global link_up
    link_up = False
    for client_writer, server_writer in list(connections):
        client_writer.transport.abort()
        server_writer.transport.abort()
    connections.clear()


def restore():
    global link_up
    link_up = True


async def main():
    # A parent may hand us these signals blocked (mask is inherited across exec).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1, signal.SIGUSR2})
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGUSR1, cut)
    loop.add_signal_handler(signal.SIGUSR2, restore)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
