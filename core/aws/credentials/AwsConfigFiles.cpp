// AwsConfigFiles: section naming rules of the two files and the merge between them.
#include "aws/credentials/AwsConfigFiles.h"

#include "aws/credentials/AwsIniFile.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace quarry::aws {

namespace {

Result<QByteArray> readOptional(const QString &path)
{
    if (!QFileInfo::exists(path))
        return QByteArray();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<QByteArray>::failure(u"cannot read %1: %2"_s.arg(path, file.errorString()));
    return file.readAll();
}

void mergeInto(QHash<QString, AwsProfile> &target, const QString &name, const QHash<QString, QString> &values)
{
    AwsProfile &profile = target[name];
    profile.name = name;
    for (auto it = values.begin(); it != values.end(); ++it)
        profile.values.insert(it.key(), it.value());
}

} // namespace

Status AwsConfigFiles::addConfig(const QByteArray &text)
{
    const auto sections = AwsIniFile::parse(text);
    if (!sections)
        return Status::failure(sections.error());
    // botocore: "[default]", "[profile x]" and "[sso-session x]"; any other section is not a profile.
    for (const AwsIniSection &section : *sections) {
        const QStringList words = section.header.split(u' ', Qt::SkipEmptyParts);
        if (section.header == u"default"_s)
            mergeInto(m_profiles, section.header, section.values);
        else if (words.size() == 2 && words[0] == u"profile"_s)
            mergeInto(m_profiles, words[1], section.values);
        else if (words.size() == 2 && words[0] == u"sso-session"_s)
            mergeInto(m_ssoSessions, words[1], section.values);
    }
    return Ok{};
}

Status AwsConfigFiles::addCredentials(const QByteArray &text)
{
    const auto sections = AwsIniFile::parse(text);
    if (!sections)
        return Status::failure(sections.error());
    // In the credentials file every section is a profile, named exactly as written; merged last
    // so its values win, as in botocore.
    for (const AwsIniSection &section : *sections)
        mergeInto(m_profiles, section.header, section.values);
    return Ok{};
}

Result<AwsConfigFiles> AwsConfigFiles::fromText(const QByteArray &configText,
                                                const QByteArray &credentialsText)
{
    AwsConfigFiles files;
    if (const Status status = files.addConfig(configText); !status)
        return Result<AwsConfigFiles>::failure(u"config file: "_s + status.error());
    if (const Status status = files.addCredentials(credentialsText); !status)
        return Result<AwsConfigFiles>::failure(u"credentials file: "_s + status.error());
    return files;
}

Result<AwsConfigFiles> AwsConfigFiles::load(const CredentialContext &context)
{
    const QProcessEnvironment &env = context.environment;
    const QString configPath = context.expandHome(env.value(u"AWS_CONFIG_FILE"_s, u"~/.aws/config"_s));
    const QString credentialsPath =
        context.expandHome(env.value(u"AWS_SHARED_CREDENTIALS_FILE"_s, u"~/.aws/credentials"_s));
    AwsConfigFiles files;
    files.m_configPath = configPath;
    files.m_credentialsPath = credentialsPath;
    for (const auto &[path, isConfig] : {std::pair{configPath, true}, std::pair{credentialsPath, false}}) {
        const Result<QByteArray> text = readOptional(path);
        if (!text)
            return Result<AwsConfigFiles>::failure(text.error());
        const Status status = isConfig ? files.addConfig(*text) : files.addCredentials(*text);
        if (!status)
            return Result<AwsConfigFiles>::failure(path + u": "_s + status.error());
    }
    return files;
}

QString AwsConfigFiles::selectedProfile(const QProcessEnvironment &environment)
{
    for (const QString &name : {u"AWS_PROFILE"_s, u"AWS_DEFAULT_PROFILE"_s}) {
        const QString value = environment.value(name).trimmed();
        if (!value.isEmpty())
            return value;
    }
    return u"default"_s;
}

std::optional<AwsProfile> AwsConfigFiles::profile(const QString &name) const
{
    const auto it = m_profiles.find(name);
    return it == m_profiles.end() ? std::nullopt : std::optional(*it);
}

std::optional<AwsProfile> AwsConfigFiles::ssoSession(const QString &name) const
{
    const auto it = m_ssoSessions.find(name);
    return it == m_ssoSessions.end() ? std::nullopt : std::optional(*it);
}

QStringList AwsConfigFiles::profileNames() const
{
    QStringList names = m_profiles.keys();
    std::sort(names.begin(), names.end());
    return names;
}

QString AwsConfigFiles::region(const QString &profileName, const QProcessEnvironment &environment) const
{
    for (const QString &name : {u"AWS_REGION"_s, u"AWS_DEFAULT_REGION"_s}) {
        const QString value = environment.value(name).trimmed();
        if (!value.isEmpty())
            return value;
    }
    const auto found = profile(profileName);
    return found ? found->value(u"region"_s) : QString();
}

} // namespace quarry::aws
