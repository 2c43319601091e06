// One connection to an upstream, as the pool keeps it and a call uses it: a QTcpSocket (through
// the proxy, if any) and, for https, TLS spoken over it with OpenSSL's memory BIOs.
//
// Why not QSslSocket: it posts an event to its own thread for every write and for reads that leave
// bytes behind, each waking the event loop through a system call, and copies every byte through
// two more buffers; over TLS a request cost twice what it costs over plain HTTP. Here ciphertext
// goes out with one send() and comes in with the socket's own read, as plain HTTP does.
//
// The socket is unbuffered: each read goes to the kernel once, into a chunk of ours, where a
// buffered QTcpSocket first asks the kernel how much is waiting (an ioctl per read) and copies the
// bytes through its own buffer. The price: an unbuffered socket reports the peer's close only as a
// failed read (it resets without disconnected()), so the link watches its reads for that.
//
// Whoever holds the link hears of it through a Listener (plain calls, no signal connections made
// and broken per request): the pool while the link is idle, then the call that leased it.
#pragma once

#include "gateway/upstream/Destination.h"

#include <QByteArray>
#include <QNetworkProxy>
#include <QObject>
#include <QStringList>

#include <memory>

class QTcpSocket;

namespace quarry::gateway::upstream {

class TlsSession;

class UpstreamLink : public QObject
{
public:
    class Listener
    {
    public:
        virtual void linkReady(UpstreamLink *link) = 0;    // connected, and for https the handshake done
        virtual void linkReadable(UpstreamLink *link) = 0; // readAll() has something, or more is waiting
        virtual void linkClosed(UpstreamLink *link) = 0;   // the peer closed, the connection or handshake failed
    protected:
        ~Listener() = default;
    };

    UpstreamLink(const Destination &destination, const QNetworkProxy &proxy, QObject *parent);
    ~UpstreamLink() override;

    void setListener(Listener *listener) { m_listener = listener; }
    // Starts connecting (and the handshake); the listener hears linkReady() or linkClosed().
    void open();
    // Connected, handshake done, and not closed since (nor, over TLS, announced to close).
    bool isReady() const;
    // Plaintext out: what the kernel takes now is sent now, the rest when the socket can take it.
    void write(QByteArrayView bytes);
    // Plaintext in: what has arrived, up to a chunk's worth read from the socket at a time.
    QByteArray readAll();
    // Plaintext decrypted and not yet read, or the socket said it has something: readAll() has it.
    bool hasUnreadInput() const { return !m_plaintext.isEmpty() || m_socketReadable; }
    // Backpressure over TLS: at most about this much plaintext is held (0: no bound); past it the
    // link stops reading, and TCP holds the peer back. Over plain HTTP a reader that stops calling
    // readAll() holds it back the same way.
    void setReadBufferSize(qint64 bytes) { m_readBufferSize = bytes; }
    void abort();

    // Links made for one key are never handed to a call for another (Destination::poolKey()).
    const QString &poolKey() const { return m_poolKey; }
    const QNetworkProxy &proxy() const { return m_proxy; }
    // Why the connection ended, for error messages.
    QString errorString() const;
    // Why the TLS handshake failed (certificate problems first), empty when it did not.
    const QStringList &tlsErrors() const { return m_tlsErrors; }
    // Keeps this connection's TLS session, once it has carried an answer, for the next connection
    // to the same place to resume; later calls do nothing.
    void keepSession();

private:
    void onConnected();
    void onReadyRead();
    QByteArray readSocket();
    void onGone();
    void becomeReady();
    void pumpTls();
    bool decryptWaiting(); // false: TLS failed and the link is closed
    void sendCiphertext();
    void writeToSocket(QByteArrayView bytes);
    void failTls(QStringList reasons);

    Destination m_destination;
    QString m_poolKey;
    QNetworkProxy m_proxy;
    QTcpSocket *m_socket;
    std::unique_ptr<TlsSession> m_tls; // https only
    QByteArray m_plaintext;            // decrypted, not yet read (https only)
    qint64 m_readBufferSize = 0;
    bool m_connected = false; // TCP (through the proxy, if any) is up
    bool m_ready = false;     // and the handshake done
    bool m_closed = false;
    bool m_sessionKept = false;
    bool m_socketReadable = false; // readyRead() came, and the socket was not read since
    QStringList m_tlsErrors;
    Listener *m_listener = nullptr;
};

} // namespace quarry::gateway::upstream
