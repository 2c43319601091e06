// CredentialProcessProvider: QProcess driven by signals, a kill timer, and a strict parse of the JSON it
// prints.
#include "aws/credentials/CredentialProcessProvider.h"

#include "aws/credentials/AwsTime.h"
#include "aws/credentials/CommandLineSplit.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;

namespace quarry::aws {

namespace {

constexpr qsizetype kMaxStderrShown = 2000;

QString stderrExcerpt(QProcess *process)
{
    QString text = QString::fromUtf8(process->readAllStandardError()).trimmed();
    if (text.size() > kMaxStderrShown)
        text = text.left(kMaxStderrShown) + u" …"_s;
    return text.isEmpty() ? u"(no output on stderr)"_s : text;
}

// Calls the callback once, whichever of finished / errorOccurred / timeout comes first.
struct Completion
{
    CredentialProvider::Callback done;
    void fire(Result<ResolvedCredentials> result)
    {
        if (done)
            std::exchange(done, nullptr)(std::move(result));
    }
};

} // namespace

CredentialProcessProvider::CredentialProcessProvider(QString profileName, QString command,
                                                     CredentialContext context)
    : m_profileName(std::move(profileName)), m_command(std::move(command)), m_context(std::move(context))
{}

Result<ResolvedCredentials> CredentialProcessProvider::parseOutput(const QByteArray &output,
                                                                   const QString &profileName)
{
    const auto fail = [&profileName](const QString &what) {
        return Result<ResolvedCredentials>::failure(u"profile %1: credential_process "_s.arg(profileName) +
                                                    what);
    };
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(output, &error);
    if (!document.isObject())
        return fail(u"did not print a JSON object on stdout"_s);
    const QJsonObject json = document.object();
    if (json.value(u"Version"_s).toInt(-1) != 1)
        return fail(u"printed JSON without \"Version\": 1 (the only version AWS defines)"_s);
    ResolvedCredentials resolved;
    resolved.aws.accessKeyId = json.value(u"AccessKeyId"_s).toString();
    resolved.aws.secretAccessKey = json.value(u"SecretAccessKey"_s).toString();
    resolved.aws.sessionToken = json.value(u"SessionToken"_s).toString();
    if (!resolved.aws.isComplete())
        return fail(u"printed JSON without AccessKeyId and SecretAccessKey"_s);
    if (const QString expiration = json.value(u"Expiration"_s).toString(); !expiration.isEmpty()) {
        resolved.expiration = AwsTime::parseIso8601(expiration);
        if (!resolved.expiration.isValid())
            return fail(u"printed an Expiration that is not an ISO 8601 time"_s);
    }
    resolved.source = u"profile %1 (credential_process)"_s.arg(profileName);
    return resolved;
}

void CredentialProcessProvider::resolve(Callback done)
{
    auto completion = std::make_shared<Completion>(Completion{std::move(done)});
    // Split as the AWS CLI splits it and run without a shell: $HOME, ;, | and * in the profile stay
    // literal characters of the arguments, as they do for the CLI.
    const Result<QStringList> argv = CommandLineSplit::native(m_command);
    if (!argv.ok() || argv->isEmpty()) {
        completion->fire(Result<ResolvedCredentials>::failure(
            u"profile %1: credential_process cannot be split into a program and its arguments: %2"_s.arg(
                m_profileName, argv.ok() ? u"it is empty"_s : argv.error())));
        return;
    }
    auto *process = new QProcess;
    const QString program = argv->first();
    auto *timer = new QTimer(process);
    const QString profile = m_profileName;
    const int timeoutMs = m_context.options.processTimeoutMs;
    process->setProcessEnvironment(m_context.environment);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, process, [=] {
        completion->fire(Result<ResolvedCredentials>::failure(
            u"profile %1: credential_process did not finish within %2 s and was stopped; stderr: %3"_s.arg(
                profile, QString::number(timeoutMs / 1000), stderrExcerpt(process))));
        process->kill();
    });
    QObject::connect(process, &QProcess::errorOccurred, process, [=](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return; // crashes and kills also emit finished()
        completion->fire(Result<ResolvedCredentials>::failure(
            u"profile %1: credential_process could not be started (%2): %3"_s.arg(profile, program,
                                                                                  process->errorString())));
        process->deleteLater();
    });
    QObject::connect(process, &QProcess::finished, process, [=](int exitCode, QProcess::ExitStatus status) {
        timer->stop();
        if (status != QProcess::NormalExit || exitCode != 0) {
            completion->fire(Result<ResolvedCredentials>::failure(
                u"profile %1: credential_process failed (exit code %2); stderr: %3"_s.arg(
                    profile, status == QProcess::NormalExit ? QString::number(exitCode) : u"crashed"_s,
                    stderrExcerpt(process))));
        } else {
            completion->fire(parseOutput(process->readAllStandardOutput(), profile));
        }
        process->deleteLater();
    });
    process->start(argv->first(), argv->mid(1));
    timer->start(timeoutMs);
}

} // namespace quarry::aws
