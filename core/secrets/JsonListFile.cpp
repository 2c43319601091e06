// Reading and writing the config directory's versioned JSON lists.
#include "secrets/JsonListFile.h"

#include "util/ConfigDirLock.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace quarry::secrets {

JsonListFile::JsonListFile(QString path, QString listKey, QString what)
    : m_path(std::move(path)), m_listKey(std::move(listKey)), m_what(std::move(what))
{
}

Result<QJsonArray> JsonListFile::read() const
{
    QFile file(m_path);
    if (!file.exists())
        return QJsonArray{};
    if (!file.open(QIODevice::ReadOnly))
        return Result<QJsonArray>::failure(
            u"cannot read %1: %2"_s.arg(QDir::toNativeSeparators(m_path), file.errorString()));
    const QJsonDocument doc = QJsonDocument::fromJson(file.read(MaxBytes));
    const QJsonObject root = doc.object();
    if (!doc.isObject() || root.value(u"version"_s).toInt() != Version || !root.value(m_listKey).isArray())
        return Result<QJsonArray>::failure(u"%1 is not %2 (version %3); fix or delete it"_s.arg(
            QDir::toNativeSeparators(m_path), m_what, QString::number(Version)));
    return root.value(m_listKey).toArray();
}

Status JsonListFile::write(const QJsonArray &list) const
{
    const QJsonObject root{{u"version"_s, Version}, {m_listKey, list}};
    return ConfigDirLock::writePrivateFile(m_path, QJsonDocument(root).toJson(QJsonDocument::Indented));
}

} // namespace quarry::secrets
