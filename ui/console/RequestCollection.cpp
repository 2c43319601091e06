// console-requests.json: {"version": 1, "requests": [{"name", "api", "path", "headers": [[n, v]],
// "body"}]}, written whole through QSaveFile so a crash never leaves half a file.
#include "console/RequestCollection.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

constexpr int FileVersion = 1;

const QList<QPair<client::ChatApi, QString>> &apiNames()
{
    static const QList<QPair<client::ChatApi, QString>> names{
        {client::ChatApi::OpenAiChat, u"openai"_s},
        {client::ChatApi::AnthropicMessages, u"anthropic"_s},
        {client::ChatApi::Responses, u"responses"_s},
        {client::ChatApi::Converse, u"converse"_s}};
    return names;
}

QString apiName(client::ChatApi api)
{
    for (const auto &[value, name] : apiNames()) {
        if (value == api)
            return name;
    }
    return u"openai"_s;
}

std::optional<client::ChatApi> apiFromName(const QString &text)
{
    for (const auto &[value, name] : apiNames()) {
        if (name == text)
            return value;
    }
    return std::nullopt;
}

} // namespace

RequestCollection::RequestCollection(QString dataDir) : m_dataDir(std::move(dataDir)) {}

QString RequestCollection::filePath() const
{
    return m_dataDir.isEmpty() ? QString() : QDir(m_dataDir).filePath(u"console-requests.json"_s);
}

bool RequestCollection::load()
{
    m_requests.clear();
    m_error.clear();
    m_unreadable = false;
    if (m_dataDir.isEmpty())
        return true;
    QFile file(filePath());
    if (!file.exists())
        return true;
    const auto unreadable = [this](const QString &why) {
        m_unreadable = true;
        m_error =
            QObject::tr("%1 cannot be read (%2). It is left as it is: move it aside to save requests again.")
                .arg(QDir::toNativeSeparators(filePath()), why);
        return false;
    };
    if (file.size() > MaxFileBytes)
        return unreadable(QObject::tr("larger than %1 MiB").arg(MaxFileBytes / (1024 * 1024)));
    if (!file.open(QIODevice::ReadOnly))
        return unreadable(file.errorString());
    QJsonParseError parsed;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parsed);
    if (parsed.error != QJsonParseError::NoError)
        return unreadable(
            QObject::tr("not JSON: %1 at byte %2").arg(parsed.errorString()).arg(parsed.offset));
    const QJsonObject root = document.object();
    if (root.value("version"_L1).toInt() != FileVersion || !root.value("requests"_L1).isArray())
        return unreadable(QObject::tr("not a version %1 request list").arg(FileVersion));
    for (const QJsonValue &value : root.value("requests"_L1).toArray()) {
        const QJsonObject entry = value.toObject();
        const auto api = apiFromName(entry.value("api"_L1).toString());
        const QString name = entry.value("name"_L1).toString();
        if (!api || name.isEmpty())
            return unreadable(QObject::tr("an entry without a name or known API"));
        SavedRequest request{
            name, *api, entry.value("path"_L1).toString(), {}, entry.value("body"_L1).toString().toUtf8()};
        for (const QJsonValue &header : entry.value("headers"_L1).toArray()) {
            const QJsonArray pair = header.toArray();
            request.headers.append({pair.at(0).toString().toLatin1(), pair.at(1).toString().toLatin1()});
        }
        if (m_requests.size() < MaxRequests)
            m_requests.append(request);
    }
    return true;
}

std::optional<SavedRequest> RequestCollection::find(const QString &name) const
{
    for (const SavedRequest &request : m_requests) {
        if (request.name == name)
            return request;
    }
    return std::nullopt;
}

bool RequestCollection::save(const SavedRequest &given)
{
    // Keys never reach disk: the console adds the window's own when it sends.
    SavedRequest request = given;
    request.headers.removeIf([](const QPair<QByteArray, QByteArray> &header) {
        static const QList<QByteArray> secret{"authorization", "x-api-key", "proxy-authorization",
                                              "x-amz-security-token"};
        return secret.contains(header.first.toLower());
    });
    if (request.name.trimmed().isEmpty()) {
        m_error = QObject::tr("Give the request a name to save it under.");
        return false;
    }
    if (request.body.size() > MaxBodyBytes) {
        m_error =
            QObject::tr("The body is over %1 KiB; saved requests are kept small.").arg(MaxBodyBytes / 1024);
        return false;
    }
    QList<SavedRequest> updated = m_requests;
    const auto same = [&request](const SavedRequest &saved) { return saved.name == request.name; };
    const auto found = std::find_if(updated.begin(), updated.end(), same);
    if (found != updated.end()) {
        *found = request;
    } else {
        if (updated.size() >= MaxRequests) {
            m_error = QObject::tr("%1 requests are saved already; delete one first.").arg(MaxRequests);
            return false;
        }
        updated.append(request);
    }
    return write(updated);
}

bool RequestCollection::remove(const QString &name)
{
    QList<SavedRequest> updated = m_requests;
    updated.removeIf([&name](const SavedRequest &saved) { return saved.name == name; });
    return write(updated);
}

bool RequestCollection::write(const QList<SavedRequest> &requests)
{
    if (m_dataDir.isEmpty()) {
        m_error = QObject::tr("There is no data directory to save requests in.");
        return false;
    }
    if (m_unreadable)
        return false; // m_error still says why; the file is the user's to fix
    QJsonArray list;
    for (const SavedRequest &request : requests) {
        QJsonArray headers;
        for (const auto &[name, value] : request.headers)
            headers.append(QJsonArray{QString::fromLatin1(name), QString::fromLatin1(value)});
        list.append(QJsonObject{{u"name"_s, request.name},
                                {u"api"_s, apiName(request.api)},
                                {u"path"_s, request.path},
                                {u"headers"_s, headers},
                                {u"body"_s, QString::fromUtf8(request.body)}});
    }
    QDir().mkpath(m_dataDir);
    QSaveFile file(filePath());
    if (!file.open(QIODevice::WriteOnly)) {
        m_error = QObject::tr("Could not write %1: %2")
                      .arg(QDir::toNativeSeparators(filePath()), file.errorString());
        return false;
    }
    file.write(QJsonDocument(QJsonObject{{u"version"_s, FileVersion}, {u"requests"_s, list}}).toJson());
    if (!file.commit()) {
        m_error = QObject::tr("Could not write %1: %2")
                      .arg(QDir::toNativeSeparators(filePath()), file.errorString());
        return false;
    }
    m_requests = requests;
    m_error.clear();
    return true;
}

} // namespace quarry::ui
