// CredentialContext: home-directory expansion and endpoint overrides.
#include "aws/credentials/CredentialContext.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace quarry::aws {

QString CredentialContext::home() const
{
    return homeDir.isEmpty() ? QDir::homePath() : homeDir;
}

QString CredentialContext::expandHome(const QString &path) const
{
    if (path == u"~"_s)
        return home();
    if (path.startsWith(u"~/"_s) || path.startsWith(u"~\\"_s))
        return home() + path.mid(1);
    return path;
}

QUrl CredentialContext::endpoint(const QUrl &override, const QString &serviceEnvSuffix,
                                 const QUrl &fallback) const
{
    if (override.isValid() && !override.isEmpty())
        return override;
    for (const QString &name : {QString(u"AWS_ENDPOINT_URL_"_s + serviceEnvSuffix), u"AWS_ENDPOINT_URL"_s}) {
        const QString value = environment.value(name).trimmed();
        if (!value.isEmpty())
            return QUrl(value);
    }
    return fallback;
}

} // namespace quarry::aws
