// CredentialContext: everything a credential provider reads from the outside world, injectable for tests.
#pragma once

#include <QDateTime>
#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace quarry::aws {

struct CredentialOptions
{
    // Win over AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_SSO / AWS_ENDPOINT_URL when set.
    QUrl stsEndpoint;
    QUrl ssoEndpoint;
    int processTimeoutMs = 60000; // credential_process
    int httpTimeoutMs = 30000;    // STS and SSO calls
};

struct CredentialContext
{
    // Used on the caller's thread; must outlive every pending resolve().
    QNetworkAccessManager *network = nullptr;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QString homeDir;                  // "~" in paths; empty = QDir::homePath()
    std::function<QDateTime()> clock; // empty = QDateTime::currentDateTimeUtc()
    CredentialOptions options;

    QDateTime now() const { return clock ? clock() : QDateTime::currentDateTimeUtc(); }
    QString home() const;
    // "~/x" -> "<home>/x"; other paths unchanged.
    QString expandHome(const QString &path) const;
    // The options' endpoint, else AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL, else `fallback`.
    QUrl endpoint(const QUrl &override, const QString &serviceEnvSuffix, const QUrl &fallback) const;
};

} // namespace quarry::aws
