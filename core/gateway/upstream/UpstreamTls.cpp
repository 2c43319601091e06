// spec.policies.tls read from a backend (TlsSession applies it).
#include "gateway/upstream/UpstreamTls.h"

#include <QCryptographicHash>
#include <QJsonArray>

#include <optional>
#include <utility>

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
    if (caCertificates.isEmpty() && verify == Verify::Full && sni.isEmpty())
        return {};
    // Every call to a backend asks again with the same settings (copies of one list of certificates,
    // which compare in an instant): the last answer is kept per thread instead of hashing each
    // certificate's DER encoding twice per request.
    thread_local std::optional<std::pair<UpstreamTls, QString>> last;
    if (last && last->first == *this)
        return last->second;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QSslCertificate &certificate : caCertificates)
        hash.addData(certificate.digest(QCryptographicHash::Sha256));
    const QString made =
        u"%1|%2|%3"_s.arg(int(verify)).arg(sni, QString::fromLatin1(hash.result().toHex().left(16)));
    last.emplace(*this, made);
    return made;
}

} // namespace quarry::gateway::upstream
