// AwsIniFile: a line-oriented reader for the AWS shared config/credentials INI files.
#include "aws/credentials/AwsIniFile.h"

using namespace Qt::StringLiterals;

namespace quarry::aws {

namespace {

bool isComment(const QString &trimmed)
{
    return trimmed.startsWith(u'#') || trimmed.startsWith(u';');
}

// Splits "key = value" at the first '=' or ':', as ConfigParser does; false if there is neither.
bool splitProperty(const QString &line, QString *key, QString *value)
{
    qsizetype at = -1;
    for (qsizetype i = 0; i < line.size(); ++i) {
        if (line[i] == u'=' || line[i] == u':') {
            at = i;
            break;
        }
    }
    if (at <= 0)
        return false;
    *key = line.left(at).trimmed().toLower();
    *value = line.mid(at + 1).trimmed();
    return !key->isEmpty();
}

// Turns an empty-valued key followed by indented "k = v" lines into a nested sub-section.
void addContinuation(AwsIniSection &section, const QString &lastKey, const QString &trimmed)
{
    QString key;
    QString value;
    const QString current = section.values.value(lastKey);
    if (current.isEmpty() && splitProperty(trimmed, &key, &value)) {
        section.nested[lastKey].insert(key, value);
        return;
    }
    if (section.nested.contains(lastKey))
        return; // a malformed line inside a sub-section: nothing a credential could depend on
    section.values[lastKey] = current.isEmpty() ? trimmed : current + u'\n' + trimmed;
}

} // namespace

bool AwsIniFile::parseHeader(const QString &line, QString *header)
{
    if (!line.startsWith(u'['))
        return false;
    const qsizetype close = line.indexOf(u']');
    if (close < 0)
        return false;
    const QString rest = line.mid(close + 1).trimmed();
    if (!rest.isEmpty() && !isComment(rest))
        return false;
    *header = line.mid(1, close - 1).simplified();
    return true;
}

Result<QList<AwsIniSection>> AwsIniFile::parse(const QByteArray &text)
{
    QList<AwsIniSection> sections;
    QHash<QString, qsizetype> indexOf;
    qsizetype current = -1; // an index: appending may move the sections
    QString lastKey;
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype number = 0; number < lines.size(); ++number) {
        QString line = QString::fromUtf8(lines[number]);
        if (line.endsWith(u'\r'))
            line.chop(1);
        const QString trimmed = line.trimmed();
        if (trimmed.isEmpty() || isComment(trimmed))
            continue;
        const bool indented = line.front().isSpace();
        if (indented && current >= 0 && !lastKey.isEmpty()) {
            addContinuation(sections[current], lastKey, trimmed);
            continue;
        }
        QString header;
        if (parseHeader(trimmed, &header)) {
            if (!indexOf.contains(header)) {
                indexOf.insert(header, sections.size());
                sections.append(AwsIniSection{header, {}, {}});
            }
            current = indexOf.value(header);
            lastKey.clear();
            continue;
        }
        QString key;
        QString value;
        if (current < 0 || !splitProperty(trimmed, &key, &value))
            return Result<QList<AwsIniSection>>::failure(
                u"line %1 is neither a [section] nor a key = value setting"_s.arg(number + 1));
        sections[current].values.insert(key, value);
        sections[current].nested.remove(key);
        lastKey = key;
    }
    return sections;
}

} // namespace quarry::aws
