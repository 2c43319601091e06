// CredentialProcessProvider: runs a profile's credential_process (aws-vault, granted, ...) without blocking.
#pragma once

#include "aws/credentials/CredentialContext.h"
#include "aws/credentials/CredentialProvider.h"

namespace quarry::aws {

class CredentialProcessProvider final : public CredentialProvider
{
public:
    // `command` runs through the shell (/bin/sh -c, cmd.exe /C on Windows) with the context's
    // environment; it is killed after options.processTimeoutMs.
    CredentialProcessProvider(QString profileName, QString command, CredentialContext context);

    void resolve(Callback done) override;

    // Parses the process's stdout: {"Version": 1, "AccessKeyId", "SecretAccessKey",
    // "SessionToken"?, "Expiration"?}. Error messages never contain the output (it holds secrets).
    static Result<ResolvedCredentials> parseOutput(const QByteArray &output, const QString &profileName);

private:
    QString m_profileName;
    QString m_command;
    CredentialContext m_context;
};

} // namespace quarry::aws
