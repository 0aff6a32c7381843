"""HIS sources: read finished visits from a hospital database (or a drop folder) into the model.

Public entry points (imported lazily by callers; nothing here opens a connection):

* ``adapter.his.reader.SqlHisSource``          the ``HisSource`` over a SQL database and a source profile
* ``adapter.his.profile.SourceProfile.load``    built-in profiles ``demo`` and ``vendor_xml130``, or a folder
* ``adapter.his.factory.build_source``          engine + reader from ``[his]`` settings
* ``adapter.his.extraction.extract_changed``    one pass: new versions, hash and watermark in one transaction
* ``adapter.his.state.WatermarkStore``          watermark, content hashes, check-in markers (migration 0002)
* ``adapter.his.checkin.CheckinTrigger``        due check-ins (XML0)
* ``adapter.his.drop_folder.DropFolderSource``  XML files exported by the HIS
* ``adapter.his.demo.generate_demo_his`` / ``adapter.his.vendor.generate_vendor_his``  demo databases

The view contract a hospital implements is described in ``docs/his-view-contract.md``.
"""
