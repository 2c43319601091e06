// The limits and security switches of the local HTTP listener.
#pragma once

#include <QByteArray>
#include <QList>
#include <QtGlobal>

namespace quarry::http {

struct ServerOptions
{
    qsizetype maxHeaderBytes = 64 * 1024;      // larger -> 431 Request Header Fields Too Large, then close
    qsizetype maxBodyBytes = 32 * 1024 * 1024; // larger (Content-Length or chunked total) -> 413, then close
    int maxConnections = 512;                  // beyond -> 503 and close
    // One client address may hold this many; beyond -> 503, so one address cannot take all of
    // them. Half of maxConnections: every local tool connects from 127.0.0.1, and an agent or SDK
    // running a hundred requests at once must still get through; the deadlines below are what
    // stop a slow client from holding connections.
    int maxConnectionsPerPeer = 256;
    int idleTimeoutMs = 120000; // idle keep-alive connections are closed
    // From a request's first byte to the end of its headers (and from the last chunk to the end of
    // a trailer section); slower -> 408 Request Timeout, then close. Against slowloris.
    int headerTimeoutMs = 10000;
    // A body must average at least this rate once bodyGraceMs has passed since its headers
    // ended; slower -> 408, then close. Counted in body bytes the parser consumed.
    qint64 minBodyBytesPerSecond = 1024;
    int bodyGraceMs = 10000;
    qsizetype maxChunkExtensionBytes =
        4096;              // a longer chunk extension -> 400 (a trailer: maxHeaderBytes, 431)
    int workerThreads = 0; // 0 = QThread::idealThreadCount() clamped to [2, 8]
    bool checkHost = true; // DNS-rebinding defence
    // Browser Origins allowed (exact match, e.g. "http://localhost:3000"): they pass the Origin
    // and Sec-Fetch-Site checks and get CORS answers. The listener also adds
    // environmentAllowedOrigins().
    QList<QByteArray> allowedOrigins;

    // QUARRY_ALLOWED_ORIGINS, comma-separated: the one place the environment is read.
    static QList<QByteArray> environmentAllowedOrigins();
    // Whether `text` is an origin as browsers send it (scheme://host[:port], no path, no trailing
    // slash): anything else would never match. `quarry serve --allow-origin` and Settings check it.
    static bool isOrigin(const QString &text);
};

} // namespace quarry::http
