// UpstreamLink over TLS (OpenSSL on memory BIOs, not QSslSocket), against Qt's own TLS server:
// a handshake with the backend's CA, the reasons a handshake fails as OpenSSL words them, what
// insecureSkipVerify forgives, and a large answer read under backpressure, byte for byte, without
// holding more of it than the bound; and that a server's close_notify ends a session's reuse.
#include "gateway/upstream/TlsSession.h"
#include "gateway/upstream/UpstreamLink.h"

#include <QDeadlineTimer>
#include <QPointer>
#include <QProcess>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/ssl.h>

#include <memory>

using namespace Qt::StringLiterals;
using quarry::gateway::upstream::Destination;
using quarry::gateway::upstream::TlsSession;
using quarry::gateway::upstream::UpstreamLink;
using quarry::gateway::upstream::UpstreamTls;

Q_DECLARE_METATYPE(UpstreamTls::Verify)

namespace {

constexpr char ServerName[] = "bedrock.test";

// A test CA, a server certificate it signed for bedrock.test (not for 127.0.0.1), and an unrelated
// CA, made by the openssl command as the integration tests make theirs.
struct Certificates
{
    QTemporaryDir dir;
    QList<QSslCertificate> ca, otherCa;
    QSslCertificate server;
    QSslKey key;
    QString problem;

    Certificates()
    {
        const QString san = dir.filePath(u"san.cnf"_s);
        QFile ext(san);
        if (!ext.open(QIODevice::WriteOnly)
            || ext.write("subjectAltName=DNS:bedrock.test\nextendedKeyUsage=serverAuth\n") < 0) {
            problem = u"cannot write "_s + san;
            return;
        }
        ext.close();
        const QStringList p256{u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:P-256"_s, u"-nodes"_s};
        run(QStringList{u"req"_s, u"-x509"_s} + p256 + QStringList{u"-keyout"_s, u"ca.key"_s, u"-out"_s, u"ca.crt"_s,
                                                                 u"-days"_s, u"2"_s, u"-subj"_s, u"/CN=Test CA"_s});
        run(QStringList{u"req"_s, u"-x509"_s} + p256 + QStringList{u"-keyout"_s, u"other.key"_s, u"-out"_s,
                                                                 u"other.crt"_s, u"-days"_s, u"2"_s, u"-subj"_s,
                                                                 u"/CN=Other CA"_s});
        run(QStringList{u"req"_s} + p256 + QStringList{u"-keyout"_s, u"server.key"_s, u"-out"_s, u"server.csr"_s,
                                                     u"-subj"_s, u"/CN=bedrock.test"_s});
        run({u"x509"_s, u"-req"_s, u"-in"_s, u"server.csr"_s, u"-CA"_s, u"ca.crt"_s, u"-CAkey"_s, u"ca.key"_s,
             u"-CAcreateserial"_s, u"-out"_s, u"server.crt"_s, u"-days"_s, u"2"_s, u"-extfile"_s, san});
        if (!problem.isEmpty())
            return;
        ca = QSslCertificate::fromPath(dir.filePath(u"ca.crt"_s));
        otherCa = QSslCertificate::fromPath(dir.filePath(u"other.crt"_s));
        const auto servers = QSslCertificate::fromPath(dir.filePath(u"server.crt"_s));
        QFile keyFile(dir.filePath(u"server.key"_s));
        if (servers.isEmpty() || ca.isEmpty() || otherCa.isEmpty() || !keyFile.open(QIODevice::ReadOnly)) {
            problem = u"openssl made no usable certificates"_s;
            return;
        }
        server = servers.first();
        key = QSslKey(keyFile.readAll(), QSsl::Ec);
    }

    void run(const QStringList &arguments)
    {
        if (!problem.isEmpty())
            return;
        QProcess openssl;
        openssl.setWorkingDirectory(dir.path());
        openssl.start(u"openssl"_s, arguments);
        if (!openssl.waitForFinished(30000) || openssl.exitStatus() != QProcess::NormalExit || openssl.exitCode())
            problem = u"openssl %1: %2 %3"_s.arg(arguments.join(u' '), openssl.errorString(),
                                                 QString::fromLocal8Bit(openssl.readAllStandardError()));
    }
};

// Qt's TLS server with the test certificate. Each line a client sends is answered with
// "pong:<line>", except "bulk\n", answered with BulkBytes of a repeating pattern.
class TlsServer
{
public:
    static constexpr qsizetype BulkBytes = 16 * 1024 * 1024;

    explicit TlsServer(const Certificates &certificates)
    {
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setLocalCertificate(certificates.server);
        configuration.setPrivateKey(certificates.key);
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
        m_server.setSslConfiguration(configuration);
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::pendingConnectionAvailable, &m_server, [this] {
            while (auto *socket = qobject_cast<QSslSocket *>(m_server.nextPendingConnection())) {
                m_last = socket;
                QObject::connect(socket, &QIODevice::readyRead, socket, [socket] { answer(socket); });
            }
        });
    }

    quint16 port() const { return m_server.serverPort(); }
    QSslSocket *lastConnection() const { return m_last; }

    static QByteArray bulk()
    {
        QByteArray bytes(BulkBytes, Qt::Uninitialized);
        for (qsizetype i = 0; i < bytes.size(); ++i)
            bytes[i] = char('a' + (i / 7) % 26);
        return bytes;
    }

private:
    static void answer(QSslSocket *socket)
    {
        while (socket->canReadLine()) {
            const QByteArray line = socket->readLine();
            socket->write(line == "bulk\n" ? bulk() : "pong:" + line);
        }
    }

    QSslServer m_server;
    QPointer<QSslSocket> m_last;
};

// A link to the test server, opening, and what its listener heard.
struct OpenedLink : UpstreamLink::Listener
{
    int ready = 0, readable = 0, closed = 0;
    UpstreamLink link;

    OpenedLink(quint16 port, const QList<QSslCertificate> &trusted, UpstreamTls::Verify verify,
               const QString &sni = QString::fromLatin1(ServerName), qint64 readBufferSize = 0)
        : link(destination(port, trusted, verify, sni), {}, nullptr)
    {
        link.setListener(this);
        link.setReadBufferSize(readBufferSize);
        link.open();
    }
    void linkReady(UpstreamLink *) override { ++ready; }
    void linkReadable(UpstreamLink *) override { ++readable; }
    void linkClosed(UpstreamLink *) override { ++closed; }

    static Destination destination(quint16 port, const QList<QSslCertificate> &trusted, UpstreamTls::Verify verify,
                                   const QString &sni)
    {
        UpstreamTls tls;
        tls.caCertificates = trusted;
        tls.verify = verify;
        tls.sni = sni;
        return {u"https"_s, u"127.0.0.1"_s, port, tls};
    }
};

// The server side of one TLS connection in memory (OpenSSL, as TlsSession's client side is): what
// Qt's server cannot do, send close_notify and keep the TCP connection open.
class MemoryTlsServer
{
public:
    explicit MemoryTlsServer(const QTemporaryDir &certificates)
        : m_context(SSL_CTX_new(TLS_server_method()), &SSL_CTX_free), m_ssl(nullptr, &SSL_free)
    {
        SSL_CTX_use_certificate_file(m_context.get(), qPrintable(certificates.filePath(u"server.crt"_s)),
                                     SSL_FILETYPE_PEM);
        SSL_CTX_use_PrivateKey_file(m_context.get(), qPrintable(certificates.filePath(u"server.key"_s)),
                                    SSL_FILETYPE_PEM);
        m_ssl.reset(SSL_new(m_context.get()));
        m_in = BIO_new(BIO_s_mem());
        m_out = BIO_new(BIO_s_mem());
        SSL_set_bio(m_ssl.get(), m_in, m_out); // owned by m_ssl from here
        SSL_set_accept_state(m_ssl.get());
    }

    // Ciphertext both ways until the client's handshake is done (a few rounds at most).
    bool handshake(TlsSession &client)
    {
        for (int round = 0; round < 10; ++round) {
            const TlsSession::Progress progress = client.handshake();
            if (progress == TlsSession::Progress::Failed)
                return false;
            take(client.takeCiphertext());
            SSL_do_handshake(m_ssl.get());
            client.feed(pending());
            if (progress == TlsSession::Progress::Done && SSL_is_init_finished(m_ssl.get()))
                return true;
        }
        return false;
    }
    void take(const QByteArray &ciphertext) { BIO_write(m_in, ciphertext.constData(), int(ciphertext.size())); }
    QByteArray read()
    {
        char buffer[256];
        const int n = SSL_read(m_ssl.get(), buffer, int(sizeof buffer));
        return n > 0 ? QByteArray(buffer, n) : QByteArray();
    }
    void write(const QByteArray &plaintext) { SSL_write(m_ssl.get(), plaintext.constData(), int(plaintext.size())); }
    void closeNotify() { SSL_shutdown(m_ssl.get()); }
    QByteArray pending()
    {
        QByteArray bytes(qsizetype(BIO_ctrl_pending(m_out)), Qt::Uninitialized);
        BIO_read(m_out, bytes.data(), int(bytes.size()));
        return bytes;
    }

private:
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> m_context;
    std::unique_ptr<SSL, decltype(&SSL_free)> m_ssl;
    BIO *m_in = nullptr;
    BIO *m_out = nullptr;
};

} // namespace

class TestGatewayUpstreamTls : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY2(m_certificates.problem.isEmpty(), qPrintable(m_certificates.problem));
        QVERIFY(QSslSocket::supportsSsl());
    }

    void trustedCaCarriesRequestsBothWays()
    {
        TlsServer server(m_certificates);
        OpenedLink opened(server.port(), m_certificates.ca, UpstreamTls::Verify::Full);
        QTRY_COMPARE(opened.ready, 1);
        UpstreamLink &link = opened.link;
        QVERIFY(link.isReady());
        QVERIFY(link.tlsErrors().isEmpty());
        link.write("first\n");
        QByteArray answer;
        QTRY_VERIFY((answer += link.readAll()).size() >= 11);
        QCOMPARE(answer, "pong:first\n"_ba);
        link.write("second\n"); // the same connection, encrypted again
        answer.clear();
        QTRY_VERIFY((answer += link.readAll()).size() >= 12);
        QCOMPARE(answer, "pong:second\n"_ba);
        QVERIFY(!link.hasUnreadInput());
        QCOMPARE(opened.closed, 0);
    }

    void anUntrustedChainFailsWithOpenSslsReason()
    {
        TlsServer server(m_certificates);
        OpenedLink opened(server.port(), m_certificates.otherCa, UpstreamTls::Verify::Full);
        QTRY_COMPARE(opened.closed, 1);
        QCOMPARE(opened.ready, 0);
        QVERIFY(!opened.link.isReady());
        QVERIFY2(opened.link.tlsErrors().contains(u"unable to get local issuer certificate"_s),
                 qPrintable(opened.link.tlsErrors().join(u"; "_s)));
        QCOMPARE(opened.link.errorString(), u"the TLS handshake failed"_s);
    }

    void theNameIsCheckedUnlessSkipped_data()
    {
        QTest::addColumn<bool>("trustedCa");
        QTest::addColumn<UpstreamTls::Verify>("verify");
        QTest::addColumn<QString>("sni");
        QTest::addColumn<QString>("failure"); // empty: the handshake succeeds
        using Verify = UpstreamTls::Verify;
        // Without sni the name checked is the address, which the certificate does not carry.
        QTest::newRow("address") << true << Verify::Full << QString() << u"IP address mismatch"_s;
        QTest::newRow("other name") << true << Verify::Full << u"other.test"_s << u"hostname mismatch"_s;
        // insecureSkipVerify: Hostname forgives the name, not the chain; All forgives everything.
        QTest::newRow("skip hostname") << true << Verify::SkipHostname << u"other.test"_s << QString();
        QTest::newRow("skip hostname, untrusted")
            << false << Verify::SkipHostname << QString::fromLatin1(ServerName)
            << u"unable to get local issuer certificate"_s;
        QTest::newRow("skip all, untrusted") << false << Verify::None << QString() << QString();
    }

    void theNameIsCheckedUnlessSkipped()
    {
        QFETCH(bool, trustedCa);
        QFETCH(UpstreamTls::Verify, verify);
        QFETCH(QString, sni);
        QFETCH(QString, failure);
        TlsServer server(m_certificates);
        OpenedLink opened(server.port(), trustedCa ? m_certificates.ca : m_certificates.otherCa, verify, sni);
        if (failure.isEmpty()) {
            QTRY_COMPARE(opened.ready, 1);
            return;
        }
        QTRY_COMPARE(opened.closed, 1);
        QVERIFY2(opened.link.tlsErrors().contains(failure), qPrintable(opened.link.tlsErrors().join(u"; "_s)));
    }

    void aLargeAnswerIsHeldToTheBoundUntilRead()
    {
        TlsServer server(m_certificates);
        constexpr qint64 Bound = 64 * 1024;
        OpenedLink opened(server.port(), m_certificates.ca, UpstreamTls::Verify::Full,
                          QString::fromLatin1(ServerName), Bound);
        QTRY_COMPARE(opened.ready, 1);
        UpstreamLink &link = opened.link;
        link.write("bulk\n");
        // Nobody reads: the link stops taking, and TCP holds the server back.
        QTRY_VERIFY(opened.readable > 0);
        QTest::qWait(300);
        QVERIFY(link.hasUnreadInput());
        // What the link held, with one more read's worth: about the bound, not all that was sent.
        QByteArray received = link.readAll();
        QVERIFY2(received.size() <= 4 * Bound, qPrintable(QString::number(received.size())));
        // More than the kernel's buffers take: the server still has some to write.
        QVERIFY(server.lastConnection());
        QVERIFY(server.lastConnection()->bytesToWrite() + server.lastConnection()->encryptedBytesToWrite() > 0);
        // Then read: all of it arrives, in order.
        const QDeadlineTimer deadline(20000);
        while (received.size() < TlsServer::BulkBytes && !deadline.hasExpired()) {
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
            received += link.readAll();
        }
        QCOMPARE(received.size(), TlsServer::BulkBytes);
        QVERIFY(received == TlsServer::bulk());
    }

    // A server that said close_notify sends no more answers on that connection, though its TCP close
    // may come later. The session says so; UpstreamLink::isReady() asks it before the pool reuses a link.
    void aCloseNotifyEndsTheSessionsReuse()
    {
        UpstreamTls tls;
        tls.caCertificates = m_certificates.ca;
        tls.verify = UpstreamTls::Verify::Full;
        tls.sni = QString::fromLatin1(ServerName);
        QString problem;
        const auto client = TlsSession::start(tls, u"127.0.0.1"_s, u"close-notify-test"_s, &problem);
        QVERIFY2(client, qPrintable(problem));
        MemoryTlsServer server(m_certificates.dir);
        QVERIFY2(server.handshake(*client), qPrintable(client->errors().join(u"; "_s)));

        QVERIFY(client->encrypt("ping"));
        server.take(client->takeCiphertext());
        QCOMPARE(server.read(), "ping"_ba);
        server.write("pong");
        client->feed(server.pending());
        QByteArray answer;
        QVERIFY(client->decrypt(answer));
        QCOMPARE(answer, "pong"_ba);
        QVERIFY(!client->peerFinished());

        server.closeNotify();
        client->feed(server.pending());
        QByteArray rest;
        QVERIFY(client->decrypt(rest)); // a clean end, not a TLS error
        QVERIFY(rest.isEmpty());
        QVERIFY(client->peerFinished());
    }

private:
    Certificates m_certificates;
};

QTEST_GUILESS_MAIN(TestGatewayUpstreamTls)
#include "tst_gateway_upstream_tls.moc"
