// WebIdentityProvider: the token is re-read on every resolve, because its issuer rotates the file.
#include "aws/credentials/WebIdentityProvider.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace quarry::aws {

WebIdentityProvider::WebIdentityProvider(QString profileName, QString tokenFile,
                                         AssumeRoleParameters parameters, StsClient sts)
    : m_profileName(std::move(profileName)), m_tokenFile(std::move(tokenFile)),
      m_parameters(std::move(parameters)), m_sts(std::move(sts))
{}

QString WebIdentityProvider::describe() const
{
    if (m_profileName.isEmpty())
        return u"web identity (role %1)"_s.arg(m_parameters.roleArn);
    return u"profile %1 (web identity, role %2)"_s.arg(m_profileName, m_parameters.roleArn);
}

void WebIdentityProvider::resolve(Callback done)
{
    const QString source = describe();
    QFile file(m_tokenFile);
    if (!file.open(QIODevice::ReadOnly))
        return done(Result<ResolvedCredentials>::failure(
            source +
            u": cannot read the web identity token file %1: %2"_s.arg(m_tokenFile, file.errorString())));
    const QByteArray token = file.readAll().trimmed();
    if (token.isEmpty())
        return done(Result<ResolvedCredentials>::failure(
            source + u": the web identity token file %1 is empty"_s.arg(m_tokenFile)));
    m_sts.assumeRoleWithWebIdentity(
        m_parameters, token, [source, done = std::move(done)](Result<ResolvedCredentials> result) {
            if (!result)
                return done(Result<ResolvedCredentials>::failure(
                    source + u": AssumeRoleWithWebIdentity failed: "_s + result.error()));
            result->source = source;
            done(std::move(result));
        });
}

} // namespace quarry::aws
