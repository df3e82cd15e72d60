#!/usr/bin/env python3
"""The client side of bench_service.sh: uploads cards to `formproc serve`
from several threads (each with a keep-alive connection), then polls the API
until every submission is processed. Prints one JSON line: how many uploads
got 201, the seconds until the last 201 and until the last card was done.

usage: service_client.py PORT TOKEN CONCURRENCY FILE...
Standard library only (http.client, threads)."""
import http.client
import json
import sys
import threading
import time
import uuid


def multipart(name, data):
    boundary = uuid.uuid4().hex
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            'Content-Type: application/pdf\r\n\r\n').encode()
    return boundary, head + data + f'\r\n--{boundary}--\r\n'.encode()


def main():
    port, token, concurrency = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    files = sys.argv[4:]
    bodies = []
    for path in files:
        with open(path, 'rb') as f:
            bodies.append(multipart(path.rsplit('/', 1)[-1], f.read()))
    auth = {'Authorization': 'Bearer ' + token}
    lock = threading.Lock()
    next_index = [0]
    accepted = []
    refused = []

    def uploader():
        conn = http.client.HTTPConnection('127.0.0.1', port, timeout=120)
        while True:
            with lock:
                i = next_index[0]
                next_index[0] += 1
            if i >= len(bodies):
                break
            boundary, body = bodies[i]
            headers = dict(auth, **{'Content-Type': 'multipart/form-data; boundary=' + boundary})
            conn.request('POST', '/api/v1/submissions', body=body, headers=headers)
            reply = conn.getresponse()
            reply.read()
            with lock:
                (accepted if reply.status == 201 else refused).append(reply.status)
        conn.close()

    start = time.monotonic()
    threads = [threading.Thread(target=uploader) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    uploaded = time.monotonic() - start
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        pending = 0
        for status in ('queued', 'processing'):
            conn.request('GET', f'/api/v1/submissions?limit=1&status={status}', headers=auth)
            pending += json.loads(conn.getresponse().read())['total']
        if pending == 0:
            break
        time.sleep(0.05)
    done = time.monotonic() - start
    conn.request('GET', '/api/v1/submissions?limit=1&status=failed', headers=auth)
    failed = json.loads(conn.getresponse().read())['total']
    print(json.dumps({'accepted': len(accepted), 'refused': len(refused), 'upload_s': round(uploaded, 3),
                      'done_s': round(done, 3), 'pending': pending, 'failed': failed}))


if __name__ == '__main__':
    main()
