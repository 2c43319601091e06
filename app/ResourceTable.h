// The table `quarry get` prints, with kubectl's look: upper-case headers, aligned columns.
#pragma once

#include "config/Resources.h"

#include <QList>
#include <QStringList>

namespace quarry::cli {

class ResourceTable
{
public:
    void add(const config::Resource &resource);
    void addRow(const QStringList &cells) { m_rows.append(cells); }
    QString render(config::ResourceKind kind) const { return render(headers(kind)); }
    // Any table with kubectl's look (quarry history); without headers, the rows only.
    QString render(const QStringList &headers) const;

    static QStringList headers(config::ResourceKind kind);

private:
    QList<QStringList> m_rows;
};

} // namespace quarry::cli
