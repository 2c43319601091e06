// HTTPS_PROXY / HTTP_PROXY / NO_PROXY with curl's rules (https://curl.se/docs/manpage.html#ENVIRONMENT):
// upper or lower case; NO_PROXY entries match the host or any name under it, "*" matches all, and
// IP entries may carry a CIDR prefix length.
#include "gateway/upstream/UpstreamProxy.h"

#include <QHash>
#include <QHostAddress>
#include <QMutex>
#include <QNetworkProxyFactory>
#include <QNetworkProxyQuery>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace quarry::gateway::upstream {

namespace {

QString variable(const char *upper)
{
    const QByteArray name(upper);
    QString value = qEnvironmentVariable(name.constData());
    if (value.isEmpty())
        value = qEnvironmentVariable(name.toLower().constData());
    return value.trimmed();
}

constexpr qsizetype MaxRemembered = 256;

} // namespace

const UpstreamProxy &UpstreamProxy::fromEnvironment()
{
    static const UpstreamProxy proxy =
        parse(variable("HTTPS_PROXY"), variable("HTTP_PROXY"), variable("NO_PROXY"));
    return proxy;
}

UpstreamProxy UpstreamProxy::parse(const QString &httpsProxy, const QString &httpProxy, const QString &noProxy)
{
    UpstreamProxy rules;
    rules.m_https = parseProxy(httpsProxy);
    rules.m_http = parseProxy(httpProxy);
    for (const QString &entry : noProxy.split(u',', Qt::SkipEmptyParts)) {
        QString trimmed = entry.trimmed().toLower();
        if (trimmed.startsWith(u'.'))
            trimmed.remove(0, 1);
        if (!trimmed.isEmpty())
            rules.m_noProxy.append(trimmed);
    }
    rules.m_fromEnvironment = !httpsProxy.isEmpty() || !httpProxy.isEmpty() || !noProxy.isEmpty();
    return rules;
}

std::optional<QNetworkProxy> UpstreamProxy::parseProxy(const QString &value)
{
    if (value.isEmpty())
        return std::nullopt;
    const QUrl url = QUrl::fromUserInput(value.contains(u"://"_s) ? value : u"http://"_s + value);
    if (!url.isValid() || url.host().isEmpty())
        return std::nullopt;
    const QString scheme = url.scheme().toLower();
    const bool socks = scheme == u"socks5"_s || scheme == u"socks5h"_s;
    if (!socks && scheme != u"http"_s)
        return std::nullopt; // Qt cannot speak TLS to the proxy itself (https://) or SOCKS4
    QNetworkProxy proxy(socks ? QNetworkProxy::Socks5Proxy : QNetworkProxy::HttpProxy, url.host(),
                        quint16(url.port(socks ? 1080 : 80)), url.userName(QUrl::FullyDecoded),
                        url.password(QUrl::FullyDecoded));
    return proxy;
}

bool UpstreamProxy::exempt(const QString &host) const
{
    const QString name = host.toLower();
    const QHostAddress address(name);
    for (const QString &entry : m_noProxy) {
        if (entry == u"*"_s || name == entry || name.endsWith(u'.' + entry))
            return true;
        if (!address.isNull() && entry.contains(u'/') &&
            address.isInSubnet(QHostAddress::parseSubnet(entry)))
            return true;
    }
    return false;
}

QNetworkProxy UpstreamProxy::proxyFor(const QString &scheme, const QString &host, int port) const
{
    if (!m_fromEnvironment)
        return systemProxyFor(scheme, host, port);
    const std::optional<QNetworkProxy> &proxy = scheme == u"https"_s ? m_https : m_http;
    if (!proxy || exempt(host))
        return QNetworkProxy(QNetworkProxy::NoProxy);
    return *proxy;
}

// Asked once per destination and process: Qt may ask libproxy, which can read desktop settings or
// fetch a PAC file, and that must not happen on every new connection of a worker thread.
QNetworkProxy UpstreamProxy::systemProxyFor(const QString &scheme, const QString &host, int port)
{
    static QMutex mutex;
    static QHash<QString, QNetworkProxy> answers; // destinations come from config: a few entries
    const QString key = scheme + u"://"_s + host + u':' + QString::number(port);
    {
        QMutexLocker lock(&mutex);
        if (const auto found = answers.constFind(key); found != answers.cend())
            return *found;
    }
    QUrl url;
    url.setScheme(scheme);
    url.setHost(host);
    url.setPort(port);
    const QList<QNetworkProxy> system = QNetworkProxyFactory::systemProxyForQuery(QNetworkProxyQuery(url));
    const QNetworkProxy proxy = system.isEmpty() ? QNetworkProxy(QNetworkProxy::NoProxy) : system.first();
    QMutexLocker lock(&mutex);
    if (answers.size() < MaxRemembered)
        answers.insert(key, proxy);
    return proxy;
}

QString UpstreamProxy::describe(const QNetworkProxy &proxy)
{
    return proxy.hostName() + u':' + QString::number(proxy.port());
}

} // namespace quarry::gateway::upstream
