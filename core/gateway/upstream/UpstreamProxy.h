// The proxy a connection to an upstream goes through. Corporate AWS users sit behind one: the
// environment's HTTPS_PROXY / HTTP_PROXY / NO_PROXY as curl reads them, else the system's settings
// (macOS, Windows; PAC or libproxy where Qt has them) through Qt.
#pragma once

#include <QNetworkProxy>
#include <QString>
#include <QStringList>

#include <optional>

namespace quarry::gateway::upstream {

class UpstreamProxy
{
public:
    // The process's environment, read once (the first call).
    static const UpstreamProxy &fromEnvironment();
    // Values as the variables hold them: "http://[user:password@]host[:port]", "socks5://host:port",
    // or "host:port" (http); noProxy: "host,.domain,10.0.0.0/8,*".
    static UpstreamProxy parse(const QString &httpsProxy, const QString &httpProxy, const QString &noProxy);

    // NoProxy for a host NO_PROXY exempts; the system's answer when no variable is set at all.
    QNetworkProxy proxyFor(const QString &scheme, const QString &host, int port) const;
    // "proxy.corp:3128" for messages: never the credentials.
    static QString describe(const QNetworkProxy &proxy);

private:
    static std::optional<QNetworkProxy> parseProxy(const QString &value);
    static QNetworkProxy systemProxyFor(const QString &scheme, const QString &host, int port);
    bool exempt(const QString &host) const;

    std::optional<QNetworkProxy> m_https;
    std::optional<QNetworkProxy> m_http;
    QStringList m_noProxy;
    bool m_fromEnvironment = false; // any of the variables is set: the system's settings are not asked
};

} // namespace quarry::gateway::upstream
