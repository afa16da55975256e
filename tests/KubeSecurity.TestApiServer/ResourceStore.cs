using System.Text;
using System.Text.Json.Nodes;

namespace KubeSecurity.TestApiServer;

/// <summary>One stored object with its serialized forms cached (lists are served from bytes).</summary>
internal sealed class StoredObject
{
    public StoredObject(JsonObject node)
    {
        Node = node;
        Namespace = node["metadata"]?["namespace"]?.ToString();
        Name = node["metadata"]?["name"]?.ToString() ?? string.Empty;
        FullJson = Encoding.UTF8.GetBytes(node.ToJsonString());
        var item = (JsonObject)node.DeepClone();
        item.Remove("apiVersion");
        item.Remove("kind");
        ListItemJson = Encoding.UTF8.GetBytes(item.ToJsonString());
    }

    public JsonObject Node { get; }
    public string? Namespace { get; }
    public string Name { get; }
    public byte[] FullJson { get; }
    public byte[] ListItemJson { get; }
}

/// <summary>The objects of one resource, in etcd key order (namespace, then name).</summary>
internal sealed class ResourceStore(ServedResource resource)
{
    private readonly SortedDictionary<(string, string), StoredObject> objects = new();
    private StoredObject[]? cached;

    public ServedResource Resource { get; } = resource;

    public int Count
    {
        get
        {
            lock (objects)
            {
                return objects.Count;
            }
        }
    }

    public StoredObject Put(JsonObject node)
    {
        var stored = new StoredObject(node);
        lock (objects)
        {
            objects[(stored.Namespace ?? string.Empty, stored.Name)] = stored;
            cached = null;
        }

        return stored;
    }

    public bool TryGet(string? ns, string name, out StoredObject? found)
    {
        lock (objects)
        {
            return objects.TryGetValue((ns ?? string.Empty, name), out found);
        }
    }

    public bool Remove(string? ns, string name, out StoredObject? removed)
    {
        lock (objects)
        {
            cached = null;
            return objects.Remove((ns ?? string.Empty, name), out removed);
        }
    }

    public StoredObject[] Snapshot()
    {
        lock (objects)
        {
            return cached ??= objects.Values.ToArray();
        }
    }
}
