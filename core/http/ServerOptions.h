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
    int idleTimeoutMs = 120000;                // idle keep-alive connections are closed
    int workerThreads = 0;                     // 0 = QThread::idealThreadCount() clamped to [2, 8]
    bool checkHost = true;                     // DNS-rebinding defence
    QList<QByteArray> allowedOrigins; // browser Origins allowed (exact match, e.g. "http://localhost:3000")
};

} // namespace quarry::http
