// The TLS client side of one upstream connection, over OpenSSL memory BIOs: ciphertext comes in
// and goes out as bytes, so the socket underneath stays an ordinary QTcpSocket.
//
// Trust: the backend's caCertificateRefs when it has them (instead of the system's, as agentgateway
// does), else the system's store as Qt reads it on each platform. One SSL_CTX per distinct
// settings, shared by every worker; sessions are kept per destination for new connections to resume.
#pragma once

#include "gateway/upstream/UpstreamTls.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

typedef struct ssl_st SSL;
typedef struct bio_st BIO;

namespace quarry::gateway::upstream {

class TlsSession
{
public:
    // A session to `host` (the name checked and sent as SNI is tls.peerName(host)), resuming the
    // last session kept under `sessionKey`. Null, with `error` set, when OpenSSL cannot set one up.
    static std::unique_ptr<TlsSession> start(const UpstreamTls &tls, const QString &host, const QString &sessionKey,
                                             QString *error);
    ~TlsSession();
    TlsSession(const TlsSession &) = delete;
    TlsSession &operator=(const TlsSession &) = delete;

    enum class Progress { Pending, Done, Failed };
    // Advances the handshake with what feed() gave it; takeCiphertext() has what to send.
    Progress handshake();
    // Ciphertext received from the peer.
    void feed(QByteArrayView ciphertext);
    // Decrypts everything fed so far onto `plaintext`; false on a TLS error (errors() says which).
    bool decrypt(QByteArray &plaintext);
    // Encrypts `plaintext`; takeCiphertext() has the records. False on a TLS error.
    bool encrypt(QByteArrayView plaintext);
    // What must go to the peer now (handshake messages, records, alerts).
    QByteArray takeCiphertext();
    // The peer said it will send no more (close_notify): the connection cannot carry another answer.
    bool peerFinished() const;
    // Why the handshake or a record failed: the certificate's problem first, then OpenSSL's.
    const QStringList &errors() const { return m_errors; }
    // Keeps the session (with the ticket TLS 1.3 sends after the handshake) for the next
    // connection under the same key to resume.
    void keepSession() const;

private:
    TlsSession(SSL *ssl, QString sessionKey);
    void collectErrors(int result);

    SSL *m_ssl;
    BIO *m_in;  // owned by m_ssl
    BIO *m_out; // owned by m_ssl
    QString m_sessionKey;
    QStringList m_errors;
};

} // namespace quarry::gateway::upstream
