// Writing to a plain TCP socket without waking the event loop when the kernel takes it all.
#pragma once

#include <QByteArrayView>

class QAbstractSocket;

namespace quarry::http {

// Sends `bytes` now: straight to the socket's descriptor when nothing is queued before them, and
// whatever the kernel does not take (or all of it, where that is not possible) through
// QAbstractSocket::write() and flush(), which then report errors and bytesWritten as usual.
// Why: write() queues the bytes and arms a write notifier that flush() disarms again, and with the
// GLib event dispatcher each arm and disarm wakes the loop (an eventfd write, then a read and one
// more poll): four system calls and a loop pass per response for bytes the kernel takes at once.
// Only for sockets whose bytes go to the descriptor as they are: plain TCP, no proxy, no TLS.
void writeNow(QAbstractSocket &socket, QByteArrayView bytes);

} // namespace quarry::http
