// A TCP socket to an upstream, with TLS over it for https (see the header for why not QSslSocket).
#include "gateway/upstream/UpstreamLink.h"

#include "gateway/upstream/TlsSession.h"
#include "http/SocketWrite.h"

#include <QTcpSocket>

#include <array>

using namespace Qt::StringLiterals;

namespace quarry::gateway::upstream {

namespace {

// The most one read takes from the socket. More waiting makes the socket readable again, and the
// event loop's next pass reads on: a fast upstream cannot keep the thread's other work waiting.
constexpr qsizetype ReadChunkBytes = 64 * 1024;

} // namespace

UpstreamLink::UpstreamLink(const Destination &destination, const QNetworkProxy &proxy, QObject *parent)
    : QObject(parent), m_destination(destination), m_poolKey(destination.poolKey()), m_proxy(proxy),
      m_socket(new QTcpSocket(this))
{
    m_socket->setProxy(proxy);
    connect(m_socket, &QAbstractSocket::connected, this, &UpstreamLink::onConnected);
    connect(m_socket, &QAbstractSocket::readyRead, this, &UpstreamLink::onReadyRead);
    connect(m_socket, &QAbstractSocket::disconnected, this, &UpstreamLink::onGone);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, &UpstreamLink::onGone);
}

UpstreamLink::~UpstreamLink()
{
    m_listener = nullptr;
    delete m_socket; // before m_tls: its last signals find the link whole
}

void UpstreamLink::open()
{
    if (m_destination.secure()) {
        // Set up before connecting: a TLS problem (no usable context) needs no connection to show,
        // and the trust store is loaded while the host is looked up.
        QString problem;
        m_tls = TlsSession::start(m_destination.tls, m_destination.host, m_poolKey, &problem);
        if (!m_tls)
            return failTls({problem});
    }
    m_socket->connectToHost(m_destination.host, quint16(m_destination.port),
                            QIODevice::ReadWrite | QIODevice::Unbuffered);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
}

bool UpstreamLink::isReady() const
{
    return m_ready && !m_closed && m_socket->state() == QAbstractSocket::ConnectedState
           && !(m_tls && m_tls->peerFinished());
}

void UpstreamLink::onConnected()
{
    m_connected = true;
    if (m_tls)
        return pumpTls();
    becomeReady();
}

void UpstreamLink::becomeReady()
{
    m_ready = true;
    if (m_listener)
        m_listener->linkReady(this);
}

// The handshake's next step, with what has arrived: on to linkReady() or to failTls().
void UpstreamLink::pumpTls()
{
    const TlsSession::Progress progress = m_tls->handshake();
    sendCiphertext(); // the handshake's messages, or its alert when it failed
    if (progress == TlsSession::Progress::Failed)
        return failTls(m_tls->errors());
    if (progress == TlsSession::Progress::Done)
        becomeReady();
}

void UpstreamLink::onReadyRead()
{
    m_socketReadable = true;
    if (!m_tls) {
        if (m_listener)
            m_listener->linkReadable(this);
        return;
    }
    if (!m_ready) {
        m_tls->feed(readSocket());
        return pumpTls();
    }
    // A reader that stopped reading (backpressure) leaves the rest in the kernel, unread: TCP then
    // holds the server back.
    if (m_readBufferSize > 0 && m_plaintext.size() >= m_readBufferSize) {
        if (m_listener)
            m_listener->linkReadable(this);
        return;
    }
    if (!decryptWaiting())
        return;
    // Records with no data for the reader (a session ticket) are not worth waking it.
    if (!m_plaintext.isEmpty() && m_listener)
        m_listener->linkReadable(this);
}

// What the socket has, up to a chunk. A read that fails is the peer's close (or a reset): the
// unbuffered socket has then let go of its descriptor without a signal, so the link reports it,
// after the reader is done with what it read before.
QByteArray UpstreamLink::readSocket()
{
    if (!std::exchange(m_socketReadable, false) || m_closed)
        return {};
    thread_local std::array<char, ReadChunkBytes> chunk;
    const qint64 got = m_socket->read(chunk.data(), chunk.size());
    if (got < 0) {
        QMetaObject::invokeMethod(this, &UpstreamLink::onGone, Qt::QueuedConnection);
        return {};
    }
    return QByteArray(chunk.data(), got);
}

bool UpstreamLink::decryptWaiting()
{
    m_tls->feed(readSocket()); // nothing when the socket has not said it is readable
    const bool ok = m_tls->decrypt(m_plaintext);
    sendCiphertext(); // what reading may have to answer (a key update)
    if (!ok)
        failTls(m_tls->errors());
    return ok;
}

QByteArray UpstreamLink::readAll()
{
    if (!m_tls)
        return readSocket();
    if (m_ready)
        decryptWaiting();
    return std::exchange(m_plaintext, {});
}

void UpstreamLink::write(QByteArrayView bytes)
{
    if (!m_tls)
        return writeToSocket(bytes);
    if (!m_tls->encrypt(bytes))
        return failTls(m_tls->errors());
    sendCiphertext();
}

void UpstreamLink::sendCiphertext()
{
    if (const QByteArray ciphertext = m_tls->takeCiphertext(); !ciphertext.isEmpty())
        writeToSocket(ciphertext);
}

void UpstreamLink::writeToSocket(QByteArrayView bytes)
{
    // Written now, not on the event loop's next pass (when the write notifier would fire): one
    // poll and one wake-up less per request. Through a proxy, Qt's socket engine writes.
    if (m_proxy.type() == QNetworkProxy::NoProxy)
        return http::writeNow(*m_socket, bytes);
    m_socket->write(bytes.data(), bytes.size());
    m_socket->flush();
}

void UpstreamLink::abort()
{
    m_closed = true;
    m_socket->abort();
}

QString UpstreamLink::errorString() const
{
    return m_tlsErrors.isEmpty() ? m_socket->errorString() : u"the TLS handshake failed"_s;
}

void UpstreamLink::keepSession()
{
    // Once, after the first answer: TLS 1.3 sends its session tickets after the handshake.
    if (m_tls && m_ready && !std::exchange(m_sessionKept, true))
        m_tls->keepSession();
}

void UpstreamLink::failTls(QStringList reasons)
{
    m_tlsErrors = std::move(reasons);
    m_ready = false;
    m_closed = true;
    m_socket->abort();
    if (m_listener)
        m_listener->linkClosed(this);
}

void UpstreamLink::onGone()
{
    if (m_closed)
        return;
    m_closed = true;
    // A server that hangs up in the middle of the handshake refused it: say so, TLS is the lead.
    if (m_tls && m_connected && !m_ready && m_tlsErrors.isEmpty())
        m_tlsErrors.append(u"the server closed the connection during the handshake"_s);
    if (m_listener)
        m_listener->linkClosed(this);
}

} // namespace quarry::gateway::upstream
