// OpenSSL client sessions over memory BIOs, their shared contexts and the sessions kept to resume.
#include "gateway/upstream/TlsSession.h"

#include <QHostAddress>
#include <QMutex>
#include <QSslConfiguration>
#include <QUrl>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <map>

using namespace Qt::StringLiterals;

namespace quarry::gateway::upstream {

namespace {

// Both maps are keyed by what config names (TLS settings, destinations): bounded all the same.
constexpr qsizetype MaxEntries = 256;

// X509s from Qt's certificates: the backend's CA bundle, or the system's trust store as Qt reads it
// on every platform (OpenSSL's own default paths are not the system's on macOS or Windows, nor
// always in an AppImage on another distribution).
void addTrusted(X509_STORE *store, const QList<QSslCertificate> &certificates)
{
    for (const QSslCertificate &certificate : certificates) {
        const QByteArray der = certificate.toDer();
        const auto *bytes = reinterpret_cast<const unsigned char *>(der.constData());
        if (X509 *x509 = d2i_X509(nullptr, &bytes, long(der.size()))) {
            X509_STORE_add_cert(store, x509); // takes its own reference; a duplicate is ignored
            X509_free(x509);
        }
    }
}

SSL_CTX *makeContext(const UpstreamTls &tls)
{
    SSL_CTX *context = SSL_CTX_new(TLS_client_method());
    if (!context)
        return nullptr;
    SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
    SSL_CTX_set_verify(context, tls.verify == UpstreamTls::Verify::None ? SSL_VERIFY_NONE : SSL_VERIFY_PEER,
                       nullptr);
    if (tls.verify != UpstreamTls::Verify::None)
        addTrusted(SSL_CTX_get_cert_store(context), tls.caCertificates.isEmpty()
                                                       ? QSslConfiguration::systemCaCertificates()
                                                       : tls.caCertificates);
    return context;
}

// OpenSSL objects owned by the maps below, freed with them (at exit too, before OpenSSL's own
// cleanup: the maps are made after OpenSSL started).
struct FreeContext
{
    void operator()(SSL_CTX *context) const { SSL_CTX_free(context); }
};
struct FreeSession
{
    void operator()(SSL_SESSION *session) const { SSL_SESSION_free(session); }
};

// Contexts are expensive (the system store holds ~150 certificates) and safe to share between
// threads: one per distinct settings for the process. SSL objects hold their own reference.
class Contexts
{
public:
    static SSL_CTX *get(const UpstreamTls &tls)
    {
        const QString key = tls.fingerprint();
        static QMutex mutex;
        static std::map<QString, std::unique_ptr<SSL_CTX, FreeContext>> made;
        QMutexLocker lock(&mutex);
        if (const auto found = made.find(key); found != made.end())
            return found->second.get();
        if (qsizetype(made.size()) >= MaxEntries)
            made.clear();
        std::unique_ptr<SSL_CTX, FreeContext> context(makeContext(tls));
        return context ? made.emplace(key, std::move(context)).first->second.get() : nullptr;
    }
};

// The last session per destination, shared by every worker's pool: a worker's first connection
// to Bedrock resumes the session another worker made.
class Sessions
{
public:
    static SSL_SESSION *take(const QString &key) // a new reference, or null
    {
        QMutexLocker lock(&mutex());
        const auto found = kept().find(key);
        if (found == kept().end())
            return nullptr;
        SSL_SESSION_up_ref(found->second.get());
        return found->second.get();
    }
    static void put(const QString &key, SSL_SESSION *session) // takes the reference
    {
        QMutexLocker lock(&mutex());
        if (qsizetype(kept().size()) >= MaxEntries && !kept().count(key))
            kept().clear();
        kept()[key].reset(session);
    }

private:
    static QMutex &mutex()
    {
        static QMutex instance;
        return instance;
    }
    static std::map<QString, std::unique_ptr<SSL_SESSION, FreeSession>> &kept()
    {
        static std::map<QString, std::unique_ptr<SSL_SESSION, FreeSession>> instance;
        return instance;
    }
};

QString openSslReason(unsigned long code)
{
    if (const char *reason = ERR_reason_error_string(code))
        return QString::fromLatin1(reason);
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return QString::fromLatin1(text);
}

// SSL_get_error() reads this thread's error queue, which must be empty before each TLS call.
// Clearing it walks every slot, about 100 ns each time; it is nearly always empty already, and
// looking costs a sixth of that (measured). A TLS request makes three such calls.
void clearStaleErrors()
{
    if (ERR_peek_error() != 0)
        ERR_clear_error();
}

} // namespace

std::unique_ptr<TlsSession> TlsSession::start(const UpstreamTls &tls, const QString &host, const QString &sessionKey,
                                              QString *error)
{
    clearStaleErrors();
    SSL_CTX *context = Contexts::get(tls);
    SSL *ssl = context ? SSL_new(context) : nullptr;
    if (!ssl) {
        *error = u"OpenSSL could not start a TLS session (%1)"_s.arg(openSslReason(ERR_get_error()));
        return nullptr;
    }
    std::unique_ptr<TlsSession> session(new TlsSession(ssl, sessionKey));
    const QString peer = tls.peerName(host);
    const bool isAddress = !QHostAddress(peer).isNull();
    const QByteArray name = isAddress ? peer.toLatin1() : QUrl::toAce(peer);
    // No SNI for an address (RFC 6066 allows host names only), as Qt did.
    if (!isAddress)
        SSL_set_tlsext_host_name(ssl, name.constData());
    if (tls.verify == UpstreamTls::Verify::Full) {
        X509_VERIFY_PARAM *check = SSL_get0_param(ssl);
        X509_VERIFY_PARAM_set_hostflags(check, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        if (isAddress)
            X509_VERIFY_PARAM_set1_ip_asc(check, name.constData());
        else
            X509_VERIFY_PARAM_set1_host(check, name.constData(), size_t(name.size()));
    }
    // Quarry's upstream client speaks HTTP/1.1 only: never let the server pick h2.
    static const unsigned char http11[] = "\x08http/1.1";
    SSL_set_alpn_protos(ssl, http11, sizeof http11 - 1);
    if (SSL_SESSION *resumed = Sessions::take(sessionKey)) {
        SSL_set_session(ssl, resumed);
        SSL_SESSION_free(resumed);
    }
    SSL_set_connect_state(ssl);
    return session;
}

TlsSession::TlsSession(SSL *ssl, QString sessionKey)
    : m_ssl(ssl), m_in(BIO_new(BIO_s_mem())), m_out(BIO_new(BIO_s_mem())), m_sessionKey(std::move(sessionKey))
{
    SSL_set_bio(m_ssl, m_in, m_out);
}

TlsSession::~TlsSession()
{
    SSL_free(m_ssl);
}

void TlsSession::collectErrors(int result)
{
    if (const long verified = SSL_get_verify_result(m_ssl); verified != X509_V_OK)
        m_errors.append(QString::fromLatin1(X509_verify_cert_error_string(verified)));
    while (const unsigned long code = ERR_get_error()) {
        const QString reason = openSslReason(code);
        if (!m_errors.contains(reason))
            m_errors.append(reason);
    }
    if (m_errors.isEmpty())
        m_errors.append(u"TLS error %1"_s.arg(SSL_get_error(m_ssl, result)));
}

TlsSession::Progress TlsSession::handshake()
{
    clearStaleErrors();
    const int result = SSL_do_handshake(m_ssl);
    if (result == 1)
        return Progress::Done;
    const int error = SSL_get_error(m_ssl, result);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE)
        return Progress::Pending;
    collectErrors(result);
    return Progress::Failed;
}

void TlsSession::feed(QByteArrayView ciphertext)
{
    if (!ciphertext.isEmpty())
        BIO_write(m_in, ciphertext.data(), int(ciphertext.size())); // a memory BIO takes all of it
}

bool TlsSession::decrypt(QByteArray &plaintext)
{
    char record[16 * 1024]; // a TLS record's most; answers are mostly far smaller, and sized as they are
    for (;;) {
        clearStaleErrors();
        const int result = SSL_read(m_ssl, record, int(sizeof record));
        if (result > 0) {
            plaintext.append(record, result);
            continue;
        }
        const int error = SSL_get_error(m_ssl, result);
        // Want more ciphertext; or the peer's close_notify, whose TCP close follows.
        if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE || error == SSL_ERROR_ZERO_RETURN)
            return true;
        collectErrors(result);
        return false;
    }
}

bool TlsSession::encrypt(QByteArrayView plaintext)
{
    if (plaintext.isEmpty())
        return true;
    clearStaleErrors();
    // Into a memory BIO a write never blocks: all of it, or an error.
    const int result = SSL_write(m_ssl, plaintext.data(), int(plaintext.size()));
    if (result > 0)
        return true;
    collectErrors(result);
    return false;
}

bool TlsSession::peerFinished() const
{
    return (SSL_get_shutdown(m_ssl) & SSL_RECEIVED_SHUTDOWN) != 0;
}

QByteArray TlsSession::takeCiphertext()
{
    const auto pending = qsizetype(BIO_ctrl_pending(m_out));
    if (pending == 0)
        return {};
    QByteArray ciphertext(pending, Qt::Uninitialized);
    BIO_read(m_out, ciphertext.data(), int(pending));
    return ciphertext;
}

void TlsSession::keepSession() const
{
    SSL_SESSION *session = SSL_get1_session(m_ssl);
    if (!session)
        return;
    if (SSL_SESSION_is_resumable(session))
        Sessions::put(m_sessionKey, session);
    else
        SSL_SESSION_free(session);
}

} // namespace quarry::gateway::upstream
