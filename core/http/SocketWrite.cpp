// Direct sends with Qt's buffered write as the fallback.
#include "http/SocketWrite.h"

#include <QAbstractSocket>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <sys/socket.h>
#endif

namespace quarry::http {

void writeNow(QAbstractSocket &socket, QByteArrayView bytes)
{
#ifdef Q_OS_UNIX
    // Bytes already queued in Qt go first; a socket not (or no longer) connected is Qt's to report.
    if (socket.bytesToWrite() == 0 && socket.state() == QAbstractSocket::ConnectedState) {
        const int fd = int(socket.socketDescriptor());
        while (!bytes.isEmpty()) {
            const ssize_t sent = ::send(fd, bytes.data(), size_t(bytes.size()), MSG_NOSIGNAL);
            if (sent < 0 && errno == EINTR)
                continue;
            if (sent <= 0)
                break; // full (EAGAIN) or failed: Qt queues the rest, and reports a failure itself
            bytes = bytes.sliced(sent);
        }
        if (bytes.isEmpty())
            return;
    }
#endif
    socket.write(bytes.data(), bytes.size());
    socket.flush();
}

} // namespace quarry::http
