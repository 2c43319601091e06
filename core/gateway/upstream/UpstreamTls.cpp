// spec.policies.tls applied to QSslSocket.
#include "gateway/upstream/UpstreamTls.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QSslConfiguration>
#include <QSslSocket>

using namespace Qt::StringLiterals;

namespace quarry::gateway::upstream {

Result<UpstreamTls> UpstreamTls::fromPolicy(const QJsonObject &tls, const config::ResourceSet &resources,
                                            const QString &ns)
{
    UpstreamTls settings;
    settings.sni = tls.value(u"sni"_s).toString();
    const QString skip = tls.value(u"insecureSkipVerify"_s).toString();
    settings.verify = skip == u"All"_s ? Verify::None : skip == u"Hostname"_s ? Verify::SkipHostname : Verify::Full;
    const QJsonArray refs = tls.value(u"caCertificateRefs"_s).toArray();
    if (refs.isEmpty())
        return settings;
    const QString name = refs.first().toObject().value(u"name"_s).toString();
    const auto found = resources.find(config::ResourceKind::ConfigMap, ns, name);
    if (!found)
        return Result<UpstreamTls>::failure(
            u"its policies.tls.caCertificateRefs names ConfigMap %1/%2, which does not exist; apply a ConfigMap "
            "of that name with the CA certificate (PEM) under ca.crt"_s.arg(ns, name));
    const QString pem = found->as<config::ConfigMap>()->data.value(u"ca.crt"_s);
    settings.caCertificates = QSslCertificate::fromData(pem.toUtf8(), QSsl::Pem);
    if (settings.caCertificates.isEmpty())
        return Result<UpstreamTls>::failure(
            u"ConfigMap %1/%2 (its policies.tls.caCertificateRefs) has no PEM certificate under ca.crt"_s.arg(
                ns, name));
    return settings;
}

QString UpstreamTls::fingerprint() const
{
    if (*this == UpstreamTls{})
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QSslCertificate &certificate : caCertificates)
        hash.addData(certificate.digest(QCryptographicHash::Sha256));
    return u"%1|%2|%3"_s.arg(int(verify)).arg(sni, QString::fromLatin1(hash.result().toHex().left(16)));
}

void UpstreamTls::configure(QSslSocket &socket, const QByteArray &sessionTicket) const
{
    QSslConfiguration configuration = socket.sslConfiguration();
    // Quarry's upstream client speaks HTTP/1.1 only: never let the server pick h2.
    configuration.setAllowedNextProtocols({QSslConfiguration::NextProtocolHttp1_1});
    // Keep sessions so that a new connection to the same place resumes instead of a full handshake.
    configuration.setSslOption(QSsl::SslOptionDisableSessionPersistence, false);
    if (!sessionTicket.isEmpty())
        configuration.setSessionTicket(sessionTicket);
    if (!caCertificates.isEmpty())
        configuration.setCaCertificates(caCertificates); // instead of the system's, as agentgateway does
    if (verify == Verify::None)
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    socket.setSslConfiguration(configuration);
    if (verify == Verify::SkipHostname) {
        // Only a name mismatch is forgiven; an untrusted or expired chain still fails the handshake.
        QObject::connect(&socket, &QSslSocket::sslErrors, &socket, [&socket](const QList<QSslError> &errors) {
            for (const QSslError &error : errors) {
                if (error.error() != QSslError::HostNameMismatch)
                    return;
            }
            socket.ignoreSslErrors(errors);
        });
    }
}

} // namespace quarry::gateway::upstream
