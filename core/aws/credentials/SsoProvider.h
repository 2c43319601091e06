// SsoProvider: IAM Identity Center profiles — the `aws sso login` token cache exchanged with
// GetRoleCredentials.
#pragma once

#include "aws/credentials/CredentialContext.h"
#include "aws/credentials/CredentialProvider.h"

#include <QUrl>

namespace quarry::aws {

struct SsoParameters
{
    QString startUrl;
    QString ssoRegion;
    QString accountId;
    QString roleName;
    // The sso-session name, or for legacy profiles (sso_start_url in the profile) the start URL:
    // the token cache file is ~/.aws/sso/cache/<sha1 hex of this>.json.
    QString cacheKey;
};

class SsoProvider final : public CredentialProvider
{
public:
    SsoProvider(QString profileName, SsoParameters parameters, CredentialContext context);

    void resolve(Callback done) override;

    static QString cacheFileName(const QString &cacheKey); // "<sha1 hex>.json"
    QString cacheFilePath() const;
    QUrl endpoint() const; // https://portal.sso.<region>.amazonaws.com unless overridden

private:
    Result<QByteArray> readAccessToken() const;
    QString loginHint() const;

    QString m_profileName;
    SsoParameters m_parameters;
    CredentialContext m_context;
};

} // namespace quarry::aws
