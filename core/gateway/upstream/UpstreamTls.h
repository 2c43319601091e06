// How the gateway speaks TLS to one upstream (spec.policies.tls): whose certificates it trusts,
// how strictly it checks them, and the server name it asks for.
#pragma once

#include "config/Resources.h"
#include "util/Result.h"

#include <QList>
#include <QSslCertificate>
#include <QString>

namespace quarry::gateway::upstream {

struct UpstreamTls
{
    enum class Verify {
        Full,         // chain and host name (the default)
        SkipHostname, // insecureSkipVerify: Hostname: the chain must be trusted, any name is accepted
        None,         // insecureSkipVerify: All
    };

    QList<QSslCertificate> caCertificates; // caCertificateRefs' ca.crt; empty: the system's trust store
    Verify verify = Verify::Full;
    QString sni; // the name sent in the handshake and checked against the certificate; empty: the host

    // From a backend's policies.tls, its CA bundle looked up in `resources` (the backend's namespace).
    // An error names what is wrong, e.g. a missing ConfigMap or a ca.crt that holds no certificate.
    static Result<UpstreamTls> fromPolicy(const QJsonObject &tls, const config::ResourceSet &resources,
                                          const QString &ns);

    // Distinguishes sockets made with different settings, so a pool never mixes them.
    QString fingerprint() const;
    // The name the handshake uses: sni, else the host.
    QString peerName(const QString &host) const { return sni.isEmpty() ? host : sni; }

    bool operator==(const UpstreamTls &) const = default;
};

} // namespace quarry::gateway::upstream
